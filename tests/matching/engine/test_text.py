from matching.engine import text


def test_full_width_letters_digits_and_case_are_normalised():
    assert text.tokens("ＰＥＲＯＶＳＫＩＴＥ　１２３Ａｂ") == text.tokens("perovskite 123ab")


def test_chinese_gives_words_and_bigrams_english_gives_words():
    tokens = text.tokens("钙钛矿太阳能电池 Perovskite solar cells")
    assert "钙钛矿" in tokens  # the rest may be cut by words other tests taught the segmenter
    assert {"_钙钛", "_钛矿", "_电池"} <= set(tokens)
    assert {"perovskite", "solar", "cell"} <= set(tokens)


def test_stopwords_and_particles_are_dropped():
    tokens = text.tokens("本文研究了电池的封装")
    assert "本文" not in tokens and "研究" not in tokens
    assert "_池的" not in tokens and "_的封" not in tokens


def test_user_words_stay_whole():
    assert "氧化镓功率器件" not in text.tokens("氧化镓功率器件的可靠性")
    text.add_user_words(["氧化镓功率器件"])
    assert "氧化镓功率器件" in text.tokens("氧化镓功率器件的可靠性")
    assert text.add_user_words(["氧化镓功率器件"]) == 0


def test_words_leave_out_the_bigrams():
    assert all(not t.startswith("_") for t in text.words("钙钛矿太阳能电池"))
