"""Every error the server says, once: a stable ``code``, its phrase in English and 简体中文, and the
setting it concerns by the name the learner sees. The page shows ``message`` (English) or
formats the code's ``zh`` phrase with ``params`` (hello sends both tables)."""
from __future__ import annotations

import re

# code -> (English, 中文); {placeholders} are filled from the error's params
PHRASES: dict[str, tuple[str, str]] = {
    "too_large": ("too large; allowed: at most {max} bytes", "消息过大；最多允许 {max} 字节"),
    "not_json": ("not valid JSON; send one JSON object with a 'type'",
                 "不是有效的 JSON；请发送一个带 'type' 的 JSON 对象"),
    "not_object": ("must be a JSON object with a 'type'; got {got}", "必须是带 'type' 的 JSON 对象；收到 {got}"),
    "binary": ("binary messages are not accepted; send JSON text", "不接受二进制消息；请发送 JSON 文本"),
    "unknown_type": ("must be one of: {allowed}", "必须是以下之一：{allowed}"),
    "unknown_field": ("unknown field; see GET /api/protocol for the allowed fields",
                      "未知字段；允许的字段见 GET /api/protocol"),
    "required": ("is required", "必须提供"),
    "unknown_value": ("unknown value {got}; allowed: {allowed}", "未知的值 {got}；允许：{allowed}"),
    "out_of_range": ("{got} is out of range; allowed: {range}", "{got} 超出范围；允许：{range}"),
    "wrong_count": ("has {count} items; allowed: {min} to {max} items", "有 {count} 项；允许 {min} 到 {max} 项"),
    "not_finite": ("must be a finite number; got {got}; allowed: {range}", "必须是有限的数；收到 {got}；允许：{range}"),
    "not_integer": ("must be a whole number; got {got}; allowed: {range}", "必须是整数；收到 {got}；允许：{range}"),
    "not_number": ("must be a number; got {got}; allowed: {range}", "必须是数字；收到 {got}；允许：{range}"),
    "not_boolean": ("must be true or false; got {got}", "必须是 true 或 false；收到 {got}"),
    "not_list": ("must be a list; got {got}", "必须是列表；收到 {got}"),
    "invalid": ("is not valid ({detail}); got {got}", "无效（{detail}）；收到 {got}"),
    "needs_softmax": ("multi-class data needs softmax; got {got}", "多类别数据需要 softmax；收到 {got}"),
    "softmax_needs_multiclass": ("softmax needs a multi-class dataset (blobs); got {got}",
                                 "softmax 需要多类别数据集（blobs）；收到 {got}"),
    "regression_loss": ("regression needs mse or half_mse; got {got}", "回归需要 mse 或 half_mse；收到 {got}"),
    "loss_output": ("{got} does not work with output {output}; allowed outputs for {loss}: {allowed}",
                    "{got} 不能与输出 {output} 搭配；{loss} 允许的输出：{allowed}"),
    "no_training_points": ("no training points; raise points or train_ratio", "没有训练点；请增加点数或训练比例"),
    "crowd_no_regularization": ("the crowd of networks trains without it; got {got}",
                                "网络群训练时不使用它；收到 {got}"),
    "same_parameter": ("pick two different parameters", "请选择两个不同的参数"),
    "weights_mode": ("the weights mode needs two weights; allowed: [{layer, to, from}, {...}]",
                     "权重模式需要两个权重；允许：[{layer, to, from}, {...}]"),
    "weights_shape": ("do not fit this network: {detail}", "与这个网络不符：{detail}"),
    "not_in_network": ("{got} is not in this {shape} network; allowed: {range}",
                       "{got} 不在这个 {shape} 网络中；允许：{range}"),
    "refused": ("{detail}", "{detail}"),
    "landscape_failed": ("could not be computed ({reason}); shown again when the network changes",
                         "无法计算（{reason}）；网络变化后会再次显示"),
    "exploration_failed": ("could not be computed ({reason})", "无法计算（{reason}）"),
    "scaled_down": ("{asked} is over this session's work limit of {limit} {unit}; using {used}",
                    "{asked} 超出本会话的工作量上限 {limit} {unit}；改用 {used}"),
    "over_budget": ("needs {cost} {unit}, over this session's limit of {limit}; make the network or the "
                    "request smaller", "需要 {cost} {unit}，超出本会话上限 {limit}；请缩小网络或请求"),
    "session_limit": ("this machine already has {count} sessions open; allowed: at most {limit} in classroom mode",
                      "这台电脑已经打开 {count} 个会话；课堂模式下每台最多 {limit} 个"),
    "restore_step": ("step {got} cannot be restored; allowed: {range}", "无法恢复到第 {got} 步；允许：{range}"),
    "pad_pixels": ("the drawing is not readable ({detail}); allowed: width x height bytes of grayscale, base64",
                   "无法读取这幅画（{detail}）；允许：宽 × 高 个灰度字节，base64 编码"),
    "pad_needs_digits": ("the drawing pad needs the digits dataset; got {got}", "手写板需要 digits 数据集；当前是 {got}"),
    "not_text": ("needs a text data set; the data now is {got}; allowed: shakespeare or your text",
                 "需要文本数据；当前数据是 {got}；允许：莎士比亚或你的文本"),
    "not_points": ("only for the 2-D points networks; the data now is {got}", "只适用于二维点数据的网络；当前数据是 {got}"),
    "text_too_long": ("has {count} characters; allowed: at most {max}", "有 {count} 个字符；最多允许 {max} 个"),
    "sweep_limit": ("{cost} {unit} is over the sweep limit of {limit}; use fewer values, seeds or epochs",
                    "{cost} {unit}超出扫描上限 {limit}；请减少取值、种子数或训练轮数"),
    "sweep_running": ("sweep {id} is still running; allowed: one sweep at a time (cancel it first)",
                      "扫描 {id} 仍在运行；每次只能运行一个扫描（请先取消）"),
    "sweep_task": ("sweeps run on the 2-D point datasets only; got {got} (a {task} task)",
                   "扫描只支持二维点数据集；收到 {got}（{task} 任务）"),
    "sweep_failed": ("stopped: {reason}", "已停止：{reason}"),
    "sweep_busy": ("{count} sweeps are running on this server already; allowed: at most {limit} at once, "
                   "try again when one ends", "服务器上已有 {count} 个扫描在运行；同时最多 {limit} 个，请等其中一个结束后再试"),
    # data in, model out (server/uploads.py, server/downloads.py)
    "upload_too_large": ("{name} is over {max} bytes; allowed: at most {max} bytes (10,000 CSV rows, a 2 MB text)",
                         "{name} 超过 {max} 字节；最多允许 {max} 字节（一万行 CSV、2 MB 文本）"),
    "upload_order": ("part {got} of {name} came out of order; allowed: parts 0 to {last} in order, the same "
                     "purpose, name and part count", "{name} 的第 {got} 部分顺序不对；允许：按顺序发送第 0 到 {last} 部分，"
                     "用途、文件名和部分数不变"),
    "csv_invalid": ("{name}: {detail}", "{name}：{detail}（文件未采用，仍使用之前的数据）"),
    "run_invalid": ("{name}: {detail}", "{name}：{detail}（文件未采用，仍使用之前的训练）"),
    "text_invalid": ("{name}: {detail}", "{name}：{detail}（文件未采用，仍使用之前的数据）"),
    "no_table": ("no CSV uploaded yet; allowed: upload a CSV file first", "还没有上传 CSV；请先上传 CSV 文件"),
    "onnx_missing": ("the onnx package is not installed on this server; allowed: pip install 'learnscape[export]'",
                     "服务器没有安装 onnx 包；请运行 pip install 'learnscape[export]'"),
    "export_points": ("{what} export needs a points network; this session trains {task}",
                      "{what} 导出需要点数据网络；本会话训练的是 {task}"),
    "export_failed": ("could not be made ({reason})", "无法生成（{reason}）"),
}

# the wire name of a setting -> how the learner knows it (English, 中文)
SETTINGS: dict[str, tuple[str, str]] = {
    "dataset": ("Data", "数据"), "points": ("Points", "点数"), "noise": ("Noise", "噪声"),
    "train_ratio": ("Training share", "训练集比例"), "classes": ("Classes", "类别数"),
    "features": ("Features", "特征"), "hidden": ("Hidden layers", "隐藏层"),
    "activation": ("Activation", "激活函数"), "output": ("Output activation", "输出激活"),
    "loss": ("Loss", "损失函数"), "init": ("Initialisation", "初始化"), "optimizer": ("Optimiser", "优化器"),
    "learning_rate": ("Learning rate", "学习率"), "momentum": ("Momentum", "动量"),
    "beta1": ("Adam β1", "Adam β1"), "beta2": ("Adam β2 / RMSProp ρ", "Adam β2 / RMSProp ρ"),
    "schedule": ("Learning-rate schedule", "学习率调度"), "batch_size": ("Batch size", "批大小"),
    "shuffle": ("Shuffle", "打乱顺序"), "regularization": ("Regularisation", "正则化"),
    "reg_rate": ("Regularisation rate", "正则化率"), "l1_freeze": ("L1 freeze", "L1 冻结"),
    "seed": ("Seed", "随机种子"), "playground": ("Playground mode", "Playground 模式"),
    "clip": ("Gradient clipping", "梯度裁剪"), "augment": ("Data augmentation", "数据增强"),
    "model": ("Model", "模型"), "seq_len": ("Sequence length", "序列长度"),
    "context": ("Context length", "上下文长度"), "embed": ("Embedding size", "嵌入维度"),
    "n": ("Steps", "步数"), "layer": ("Layer", "层"), "to": ("To neuron", "目标神经元"),
    "from": ("From neuron", "来源神经元"), "value": ("Value", "数值"),
    "steps_per_second": ("Speed", "速度"), "grid_resolution": ("Map resolution", "图像分辨率"),
    "node_resolution": ("Neuron map resolution", "神经元图分辨率"), "maps": ("Maps", "图像"),
    "flow": ("Flow control", "流量控制"), "mode": ("Mode", "模式"), "weights": ("Weights", "权重"),
    "span": ("Span", "范围"), "resolution": ("Resolution", "分辨率"), "frozen": ("Frozen", "冻结"),
    "surface": ("Surface", "曲面"), "rates": ("Rates", "学习率组"), "start": ("Start", "起点"),
    "steps": ("Steps", "步数"), "condition": ("Condition number", "条件数"), "walkers": ("Walkers", "行走者"),
    "models": ("Networks", "网络数"), "message": ("Message", "消息"), "type": ("Message type", "消息类型"),
    "config": ("Settings", "设置"), "run": ("Saved run", "保存的训练"), "step": ("Step", "步"),
    "epoch": ("Epoch", "轮次"), "version": ("Version", "版本"), "landscape": ("Loss landscape", "损失地形"),
    "explore": ("Exploration", "探索"), "view": ("View", "视图"), "W": ("Weights", "权重"), "b": ("Biases", "偏置"),
    "read_pad": ("Drawing pad", "手写板"), "id": ("Drawing number", "画的编号"), "pixels": ("Drawing pad pixels", "手写板像素"),
    "width": ("Drawing pad width", "手写板宽度"), "height": ("Drawing pad height", "手写板高度"),
    "prompt": ("Prompt", "提示文本"), "temperature": ("Temperature", "温度"), "every": ("Sample every", "采样间隔"),
    "length": ("Sample length", "采样长度"),
    "point": ("Point", "点"), "infer": ("Inference", "推理"), "recenter": ("Re-centring", "重新居中"),
    "sweep": ("Sweep", "超参数扫描"), "start_sweep": ("Sweep", "超参数扫描"),
    "axes": ("Sweep axes", "扫描维度"), "seeds": ("Seeds", "种子数"), "epochs": ("Epochs", "训练轮数"),
    "hidden_width": ("Hidden width", "隐藏层宽度"), "depth": ("Depth", "深度"),
    "upload": ("Upload", "上传"), "csv": ("CSV data", "CSV 数据"), "text": ("Text", "文本"),
    "x": ("Input columns", "输入列"), "y": ("Label column", "标签列"), "task": ("Task", "任务类型"),
    "standardize": ("Standardise", "标准化"), "download": ("Download", "下载"), "what": ("File", "文件"),
    "purpose": ("Upload purpose", "上传用途"), "name": ("File name", "文件名"), "part": ("Part", "部分"),
    "parts": ("Parts", "部分数"), "data": ("File content", "文件内容"), "lang": ("Language", "语言"),
}


def setting_of(field: str) -> str:
    """The setting an error's field path names: its last part that is a setting (config.beta1 ->
    beta1, weights.0.layer -> layer), else the path's first part."""
    parts = [p for p in field.split(".") if not p.isdigit()]
    for p in reversed(parts):
        if p in SETTINGS:
            return p
    return parts[0] if parts else "message"


def render(code: str, params: dict, lang: int = 0) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(params.get(m.group(1), m.group(0))), PHRASES[code][lang])


def error(code: str, field: str, **params) -> dict:
    """The error message: code, field (the wire path), setting, English text, params."""
    setting = setting_of(field)
    label = SETTINGS.get(setting, (setting, setting))[0]
    return {"type": "error", "code": code, "field": field, "setting": setting,
            "message": f"{label}: {render(code, params)}", "params": params}


def value_range(lo=None, hi=None, lo_open=False, hi_open=False) -> str:
    """An allowed range in notation both languages read: "1 ≤ x ≤ 10000", "0 < x ≤ 100", "x ≥ 4"."""
    left = f"{lo} {'<' if lo_open else '≤'} " if lo is not None else ""
    right = f" {'<' if hi_open else '≤'} {hi}" if hi is not None else ""
    return f"{left}x{right}" if left or right else "see GET /api/protocol"


class ProtocolError(Exception):
    """A refused message: raise it anywhere, the session turns it into an error."""

    def __init__(self, code: str, field: str, **params):
        self.code, self.field, self.params = code, field, params
        self.message = render(code, params)           # English, without the setting's label
        super().__init__(f"{field}: {self.message}")

    def to_message(self) -> dict:
        return error(self.code, self.field, **self.params)


# the engine's refusals ("field: what is wrong; allowed: ..."), as codes
ENGINE = [
    (r"(?P<got>\S+) is out of range; allowed: (?P<lo>\S+) to (?P<hi>\S+)", "out_of_range"),
    (r"multi-class data needs softmax; got (?P<got>.+)", "needs_softmax"),
    (r"softmax needs a multi-class dataset.*; got (?P<got>.+)", "softmax_needs_multiclass"),
    (r"regression needs mse or half_mse; got (?P<got>.+)", "regression_loss"),
    (r"(?P<got>'\w+') does not work with output (?P<output>'\w+'); allowed outputs for (?P<loss>\w+): (?P<allowed>.+)",
     "loss_output"),
    (r"no training points.*", "no_training_points"),
    (r"the crowd trains without it; got (?P<got>.+)", "crowd_no_regularization"),
    (r"pick two different parameters", "same_parameter"),
    (r"(?P<detail>(expected \d+ layers|layer \d+ needs W).*)", "weights_shape"),
]


def from_engine(e: Exception, prefix: str = "") -> ProtocolError:
    field, _, what = str(e).partition(": ")
    if not what:
        field, what = "message", str(e)
    for pattern, code in ENGINE:
        m = re.fullmatch(pattern, what)
        if m:
            params = {k: v for k, v in m.groupdict().items() if k not in ("lo", "hi")}
            if "lo" in m.groupdict():
                params["range"] = value_range(m["lo"], m["hi"])
            return ProtocolError(code, prefix + field, **params)
    return ProtocolError("refused", prefix + field, detail=what)


def tables() -> dict:
    """For hello: every phrase and setting label in both languages."""
    return {"errors": {c: {"en": en, "zh": zh} for c, (en, zh) in PHRASES.items()},
            "settings": {s: {"en": en, "zh": zh} for s, (en, zh) in SETTINGS.items()}}
