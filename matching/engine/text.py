"""Text → tokens, for Chinese and English alike. Pure functions, no ORM.

A document becomes three kinds of tokens:
- words from jieba segmentation (rjieba, the Rust build of jieba with the same
  dictionary and the same cuts, about 9× faster on this machine — the full
  rebuild tokenises ~35 million characters), with a user dictionary of the
  district's reference terms and every expertise keyword people enter, so that
  "钙钛矿电池" or "界面钝化" stay whole;
- Chinese character bigrams, prefixed "_", which still match when segmentation
  cuts the need and the paper differently;
- English words (letters and digits, lower-cased, a plural "s" removed).

Text is first normalised (NFKC: full-width letters, digits and punctuation
become half-width; lower case).
"""

import re
import threading
import unicodedata
from collections.abc import Iterable

import rjieba

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff"
# Overlapping pairs of CJK characters, found by the regex engine in C.
_BIGRAM = re.compile(f"(?=([{_CJK}]{{2}}))")
# Bigrams do not cross these particles: "池的" or "的界" would only add noise.
_PARTICLES = re.compile("[的了和与及在对为是等其并或且之于以]")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_LATIN = re.compile(r"[a-z][a-z0-9\-+.]*[a-z0-9+]|[a-z]")

# Function words, the boilerplate of abstracts and of need titles ("……关键技术
# 攻关", "聘请……方向科技副总"): they appear in nearly every document and only
# add noise to the products and the explanations (IDF would shrink them anyway).
STOPWORDS = frozenset("""
的 了 和 与 及 或 在 对 为 是 等 中 以 由 并 其 将 被 从 而 也 又 于 之 该 此 这 那 我们 本文
研究 分析 方法 结果 表明 提出 采用 进行 基于 通过 利用 具有 一种 以及 可以 能够 对于 实现 问题
相关 影响 主要 作用 目的 结论 发现 得到 显示 探讨 讨论 一定 不同 较 更 最 很 各 个 种 后 前
方向 关键 技术 关键技术 攻关 聘请 副总 需求 企业 项目 开展
and the of in to for on with by a an is are was were be as at from that this these we our
its it or not using based study paper results method methods approach proposed show
""".split())

# Words of scientific reporting that every field uses ("特性", "实验", "结果表明"):
# true of a paper, yet they explain no match. Left out of the shared terms shown
# as reasons (not of scoring, where IDF weighs them down already).
REPORT_WORDS = frozenset("""
特性 比较 同时 得出 介绍 给出 实验 结果表明 试验 研究表明 数据 模型 系统 设计 应用 提高 降低 效果
性能 条件 过程 因素 特点 情况 水平 效率 质量 方面 基础 发展 重要 有效 显著 明显 较好 良好 优化
分析方法 计算 测定 检测 评价 对比 结合 建立 构建 提供 包括 存在 作为 根据 得以 使得 所得 相比
采取 选取 选择 确定 验证 证明 说明 认为 指出 总结 概述 综述 现状 趋势 意义 价值 对策 措施 建议
方式 手段 途径 思路 理论 实践 工作 内容 部分 阶段 时间 方面 新型 传统 现有 当前 目前 近年来 随着
同时 进一步 相应 一定 均匀 以上 以下 之间 其中 通过对 研究了 分别 主要 各种 多种 不同 影响因素
experiment experimental result data model system design performance analysis effect
effective high low new use used present presented propose study studied compare comparison
""".split())

_user_words: set[str] = set()
_lock = threading.Lock()


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def add_user_words(words: Iterable[str]) -> int:
    """Teach the segmenter multi-character terms; returns how many were new.

    Idempotent, so every process may call it with all terms it knows.
    """
    added = 0
    with _lock:
        for word in words:
            word = normalise(word).strip()
            if len(word) >= 2 and word not in _user_words and _CJK_CHAR.search(word):
                rjieba.add_word(word, None, None)
                _user_words.add(word)
                added += 1
    return added


def _latin_token(word: str) -> str:
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def analyse(text: str) -> tuple[list[str], list[str]]:
    """(words, bigrams) of a text: jieba and English words; CJK character pairs.

    Written for speed (a full rebuild reads ~35 million characters): filters are
    comprehensions, the bigrams come from one regex call, and they are returned
    apart — hashed into their own half of the feature space — rather than
    marked by a prefix, which cost more than the segmentation itself.
    """
    text = normalise(text)
    found = [p for p in rjieba.cut(text, False)
             if len(p) > 1 and "\u3400" <= p[0] <= "\u9fff" and p not in STOPWORDS]
    found += [_latin_token(w) for w in _LATIN.findall(text) if len(w) > 1 and w not in STOPWORDS]
    return found, _BIGRAM.findall(_PARTICLES.sub(" ", text))


def tokens(text: str) -> list[str]:
    """All tokens of a text, bigrams marked with a "_" prefix (for reading and tests)."""
    found, bigrams = analyse(text)
    return found + ["_" + b for b in bigrams]


def is_user_word(word: str) -> bool:
    """A term someone entered as a keyword or the district's reference data names."""
    return word in _user_words


def is_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))


def words(text: str) -> list[str]:
    """Only the human-readable tokens (no bigrams): what an explanation shows."""
    return analyse(text)[0]
