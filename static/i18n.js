// Every user-facing string, in English and 简体中文. t(key) looks one up; apply(root) fills
// elements marked data-i18n (text), data-i18n-title (tooltip) and data-i18n-aria (label).
const STRINGS = {
  en: {
    app_title: "Learnscape", tagline: "watch a neural network learn",
    play: "Play", pause: "Pause", step: "Step", reset: "Reset",
    play_tip: "Start or pause training (space)", step_tip: "Train one step (→)", reset_tip: "Start again from the initial weights (r)",
    epoch: "Epoch", steps: "Steps", speed: "Speed", speed_tip: "Training steps per second",
    speed_max: "as fast as possible", steps_per_s: "steps/s",
    learning_rate: "Learning rate", learning_rate_tip: "How big a step gradient descent takes. Too big and the loss diverges.",
    optimizer: "Optimiser", optimizer_tip: "The rule that turns gradients into weight changes",
    momentum: "Momentum", beta1: "β1", beta2: "β2",
    activation: "Activation", activation_tip: "The function each hidden neuron applies to its weighted sum",
    regularization: "Regularisation", regularization_tip: "Penalise large weights (L1, L2) or drop neurons at random (dropout)",
    reg_rate: "Rate", reg_rate_tip: "Regularisation strength (for dropout: the probability of dropping a neuron)",
    problem: "Problem type", classification: "Classification", regression: "Regression", multiclass: "Multi-class",
    none: "None", l1: "L1", l2: "L2", dropout: "Dropout",
    sgd: "SGD", nesterov: "Nesterov", rmsprop: "RMSProp", adam: "Adam",
    linear: "Linear", sigmoid: "Sigmoid", tanh: "Tanh", relu: "ReLU", leaky_relu: "Leaky ReLU",
    elu: "ELU", softplus: "Softplus", swish: "Swish", sign: "Step (sign)",
    data: "Data", dataset: "Which dataset do you want to use?",
    circle: "Circle", xor: "Exclusive or", gauss: "Gaussian", spiral: "Spiral", moons: "Moons",
    blobs: "Blobs (k classes)", "reg-plane": "Plane", "reg-gauss": "Multi-Gaussian", house: "House prices",
    train_ratio: "Ratio of training to test data", noise: "Noise", batch_size: "Batch size",
    points: "Points", classes: "Classes", regenerate: "Regenerate", regenerate_tip: "New data from a new seed",
    seed: "Seed",
    features: "Features", features_tip: "Which properties do you want to feed in? Click to toggle.",
    x1: "x₁", x2: "x₂", x1_sq: "x₁²", x2_sq: "x₂²", x1x2: "x₁x₂", sin_x1: "sin(x₁)", sin_x2: "sin(x₂)",
    network: "Network", hidden_layers: "hidden layers", neurons: "neurons", parameters: "parameters",
    add_layer: "Add a hidden layer", remove_layer: "Remove a hidden layer",
    add_neuron: "Add a neuron", remove_neuron: "Remove a neuron", layer_width: "Layer width",
    layer_width_tip: "Set every hidden layer to this many neurons",
    view_weights: "Weights", view_gradients: "Gradients",
    view_tip: "Draw links by weight, or by the gradient ∂L/∂w that backpropagation computes",
    weight: "Weight", bias: "Bias", gradient: "Gradient", edit_value: "New value", edit_hint: "Click to edit",
    output: "Output", loss_train: "Training loss", loss_test: "Test loss",
    accuracy: "Accuracy", accuracy_train: "Training accuracy", accuracy_test: "Test accuracy",
    show_test: "Show test data", discretize: "Discretize output",
    grad_norms: "Gradient size per layer", layer: "Layer",
    landscape: "Loss landscape", landscape_soon: "The loss landscape of this network appears here.",
    language: "Language",
    note_network: "Lines are weights: blue positive, orange negative, thicker is larger. Each square shows what that neuron computes over the input plane. In the gradients view, thickness is |∂L/∂w|: where learning is happening.",
    note_boundary: "The network's output over the input plane: blue is positive, orange negative, white near zero. Dots are the training points (outlined: test points).",
    note_loss: "Average loss over time. Falling train loss with rising test loss means overfitting.",
    note_grads: "‖∂L/∂W‖ for each layer on a log scale. Bars that shrink toward the input layer are vanishing gradients.",
    note_data: "Points are coloured by their label. The network only sees the training points.",
    note_features: "The inputs the network sees; each square shows the feature's value over the plane.",
    diverged: "Training diverged at step {step}: the loss became infinite or NaN. Try a smaller learning rate, then Reset.",
    hint_lower_learning_rate: "Try a smaller learning rate, then Reset.",
    connection_lost: "Connection to the Learnscape server lost — reconnecting…",
    connecting: "Connecting…",
    error_prefix: "Not accepted",
    dismiss: "Dismiss", playground_mode: "Playground-compatible", playground_tip: "Train exactly like TensorFlow Playground",
    init: "Initialiser", schedule: "LR schedule", loss: "Loss",
    mse: "MSE", half_mse: "½ MSE", bce: "Cross-entropy", softmax_ce: "Softmax cross-entropy",
    copy_link: "Copy link", link_copied: "Link copied",
  },
  zh: {
    app_title: "Learnscape", tagline: "看神经网络如何学习",
    play: "运行", pause: "暂停", step: "单步", reset: "重置",
    play_tip: "开始或暂停训练（空格键）", step_tip: "训练一步（→）", reset_tip: "从初始权重重新开始（r）",
    epoch: "轮次", steps: "步数", speed: "速度", speed_tip: "每秒训练步数",
    speed_max: "尽可能快", steps_per_s: "步/秒",
    learning_rate: "学习率", learning_rate_tip: "梯度下降每一步迈多大。太大时损失会发散。",
    optimizer: "优化器", optimizer_tip: "把梯度变成权重更新的规则",
    momentum: "动量", beta1: "β1", beta2: "β2",
    activation: "激活函数", activation_tip: "每个隐藏神经元作用在加权和上的函数",
    regularization: "正则化", regularization_tip: "惩罚过大的权重（L1、L2），或随机丢弃神经元（Dropout）",
    reg_rate: "强度", reg_rate_tip: "正则化强度（Dropout 时为丢弃神经元的概率）",
    problem: "问题类型", classification: "分类", regression: "回归", multiclass: "多分类",
    none: "无", l1: "L1", l2: "L2", dropout: "Dropout",
    sgd: "SGD", nesterov: "Nesterov", rmsprop: "RMSProp", adam: "Adam",
    linear: "线性", sigmoid: "Sigmoid", tanh: "Tanh", relu: "ReLU", leaky_relu: "Leaky ReLU",
    elu: "ELU", softplus: "Softplus", swish: "Swish", sign: "阶跃（符号）",
    data: "数据", dataset: "选择数据集",
    circle: "圆形", xor: "异或", gauss: "高斯", spiral: "螺旋", moons: "双月",
    blobs: "多类团簇", "reg-plane": "平面", "reg-gauss": "多高斯", house: "房价",
    train_ratio: "训练集与测试集的比例", noise: "噪声", batch_size: "批大小",
    points: "样本数", classes: "类别数", regenerate: "重新生成", regenerate_tip: "用新的随机种子生成数据",
    seed: "种子",
    features: "特征", features_tip: "要输入哪些特征？点击切换。",
    x1: "x₁", x2: "x₂", x1_sq: "x₁²", x2_sq: "x₂²", x1x2: "x₁x₂", sin_x1: "sin(x₁)", sin_x2: "sin(x₂)",
    network: "网络", hidden_layers: "个隐藏层", neurons: "个神经元", parameters: "个参数",
    add_layer: "增加一个隐藏层", remove_layer: "删除一个隐藏层",
    add_neuron: "增加一个神经元", remove_neuron: "删除一个神经元", layer_width: "层宽度",
    layer_width_tip: "把每个隐藏层都设为这么多个神经元",
    view_weights: "权重", view_gradients: "梯度",
    view_tip: "按权重绘制连线，或按反向传播算出的梯度 ∂L/∂w 绘制",
    weight: "权重", bias: "偏置", gradient: "梯度", edit_value: "新的值", edit_hint: "点击可编辑",
    output: "输出", loss_train: "训练损失", loss_test: "测试损失",
    accuracy: "准确率", accuracy_train: "训练准确率", accuracy_test: "测试准确率",
    show_test: "显示测试数据", discretize: "离散化输出",
    grad_norms: "各层梯度大小", layer: "层",
    landscape: "损失地形", landscape_soon: "这个网络的损失地形显示在这里。",
    language: "语言",
    note_network: "连线代表权重：蓝色为正，橙色为负，越粗越大。每个小方块显示该神经元在输入平面上的输出。梯度视图中，粗细表示 |∂L/∂w|：学习正在发生的地方。",
    note_boundary: "网络在输入平面上的输出：蓝色为正，橙色为负，白色接近零。圆点是训练样本（带描边的是测试样本）。",
    note_loss: "平均损失随时间的变化。训练损失下降而测试损失上升，说明过拟合。",
    note_grads: "每层的 ‖∂L/∂W‖（对数坐标）。越靠近输入层越小，就是梯度消失。",
    note_data: "点的颜色表示标签。网络只看得到训练样本。",
    note_features: "网络看到的输入；每个小方块显示该特征在平面上的取值。",
    diverged: "训练在第 {step} 步发散：损失变成了无穷大或 NaN。请调小学习率，然后重置。",
    hint_lower_learning_rate: "请调小学习率，然后重置。",
    connection_lost: "与 Learnscape 服务器的连接已断开——正在重连…",
    connecting: "正在连接…",
    error_prefix: "未被接受",
    dismiss: "关闭", playground_mode: "兼容 Playground", playground_tip: "与 TensorFlow Playground 完全相同的训练方式",
    init: "初始化", schedule: "学习率计划", loss: "损失函数",
    mse: "均方误差", half_mse: "½ 均方误差", bce: "交叉熵", softmax_ce: "Softmax 交叉熵",
    copy_link: "复制链接", link_copied: "链接已复制",
  },
};
export const LANGUAGES = { en: "English", zh: "简体中文" };

let lang = "en";

export function defaultLanguage() {
  const prefs = navigator.languages || [navigator.language || "en"];
  return prefs.some((l) => l.toLowerCase().startsWith("zh")) ? "zh" : "en";
}

export function setLanguage(l) {
  lang = STRINGS[l] ? l : "en";
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
}

export function t(key, vars = {}) {
  let s = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}

export function apply(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-title]")) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll("[data-i18n-aria]")) el.setAttribute("aria-label", t(el.dataset.i18nAria));
  document.title = `${t("app_title")} — ${t("tagline")}`;
}

export const keys = (l) => Object.keys(STRINGS[l]);

// The server words its refusals in English from a small set of phrases ("... is out of range;
// allowed: ..."); in Chinese those phrases are replaced, the field names and values kept.
const PHRASES_ZH = [
  [/is out of range/g, "超出范围"], [/allowed:/g, "允许："], [/unknown value/g, "未知的值"],
  [/unknown field; see GET \/api\/protocol for the allowed fields/g, "未知字段（允许的字段见 GET /api/protocol）"],
  [/unknown config field/g, "未知的配置字段"], [/unknown/g, "未知"], [/must be one of:/g, "必须是以下之一："],
  [/must be a positive finite number/g, "必须是有限的正数"], [/must be a finite number/g, "必须是有限的数"],
  [/must be a whole number/g, "必须是整数"], [/must be true or false/g, "必须是 true 或 false"],
  [/is required/g, "不能缺少"], [/too large/g, "太大"], [/at most/g, "至多"], [/bytes/g, "字节"],
  [/not valid JSON; send one JSON object with a 'type'/g, "不是有效的 JSON；请发送带 'type' 的 JSON 对象"],
  [/binary messages are not accepted; send JSON text/g, "不接受二进制消息；请发送 JSON 文本"],
  [/has (\d+) items/g, "有 $1 项"], [/ to /g, " 至 "], [/; got/g, "；收到"], [/ or /g, " 或 "],
];

export function serverText(text) {
  if (lang !== "zh") return text;
  return PHRASES_ZH.reduce((s, [re, zh]) => s.replace(re, zh), text);
}
