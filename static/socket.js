// One websocket to the server, reconnecting with back-off when the connection is lost.
export class Socket {
  constructor(url, { onOpen, onText, onBinary, onClose }) {
    Object.assign(this, { url, onOpen, onText, onBinary, onClose });
    this.delay = 250;
    this.ws = null;
  }

  connect() {
    const ws = new WebSocket(this.url);
    ws.binaryType = "arraybuffer";
    ws.onopen = () => { this.delay = 250; this.onOpen(); };
    ws.onmessage = (e) => {
      if (typeof e.data === "string") this.onText(JSON.parse(e.data));
      else this.onBinary(e.data);
    };
    ws.onclose = () => {
      this.ws = null;
      this.onClose();
      if (this.closed) return;
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, 4000);
    };
    this.ws = ws;
  }

  close() {                          // for good: no reconnecting
    this.closed = true;
    if (this.ws) this.ws.close();
  }

  send(message) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(message));
  }
}
