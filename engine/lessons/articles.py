"""The source articles (in /work/shared/seeds/, Chinese) that lessons point to, keyed by a short name.

A lesson's ``source`` is {"article": key, "section": heading in the article}; the page links it.
"""
ARTICLES = {
    "how-networks-learn": {"title": "神经网络是如何学习的？", "url": None},
    "exam": {"title": "第171期 到底神经网络究竟是如何“学习”的？", "url": None},
    "gradient-descent": {"title": "什么是梯度下降？为什么梯度下降能优化模型？",
                         "url": "https://zhuanlan.zhihu.com/p/1917179497192593050"},
    "kitten": {"title": "小猫都能懂的大模型原理 1 - 深度学习基础",
               "url": "https://ssshooter.com/kitten-large-language-model-1/"},
    "deep-learning": {"title": "llm神经网络深度学习", "url": None},
}
