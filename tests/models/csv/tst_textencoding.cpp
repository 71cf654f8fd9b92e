#include "csv/textencoding.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_TextEncoding : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isAscii_data();
    void isAscii();
    void isValidUtf8_data();
    void isValidUtf8();
    void windows1252HighRange_data();
    void windows1252HighRange();
    void windows1252Latin1Range();
    void windows1252KeepsAsciiAndAppends();
    void encodingNames();
};

void tst_TextEncoding::isAscii_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("ascii");

    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("short") << QByteArray("abc") << true;
    QTest::newRow("all of ASCII") << [] {
        QByteArray all;
        for (int c = 0; c < 0x80; ++c)
            all.append(char(c));
        return all;
    }() << true;
    QTest::newRow("0x80 alone") << QByteArray("\x80") << false;
    QTest::newRow("0xFF alone") << QByteArray("\xff") << false;
    QTest::newRow("UTF-8 letter") << QByteArray("caf\xc3\xa9") << false;
    // The check runs eight bytes at a time, then byte by byte: a high byte anywhere counts.
    const QByteArray base(21, 'a');
    for (int i = 0; i < base.size(); ++i) {
        QByteArray bytes = base;
        bytes[i] = char(0xE9);
        QTest::addRow("high byte at %d of 21", i) << bytes << false;
    }
    QTest::newRow("long ASCII") << QByteArray(1000, 'x') << true;
}

void tst_TextEncoding::isAscii()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, ascii);
    QCOMPARE(TextCodec::isAscii(bytes), ascii);
}

void tst_TextEncoding::isValidUtf8_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<bool>("valid");

    QTest::newRow("empty") << QByteArray() << true;
    QTest::newRow("ASCII") << QByteArray("plain text, 123") << true;
    QTest::newRow("2 bytes: U+0080") << QByteArray("\xc2\x80") << true;
    QTest::newRow("2 bytes: é") << QByteArray("\xc3\xa9") << true;
    QTest::newRow("2 bytes: U+07FF") << QByteArray("\xdf\xbf") << true;
    QTest::newRow("3 bytes: U+0800") << QByteArray("\xe0\xa0\x80") << true;
    QTest::newRow("3 bytes: €") << QByteArray("\xe2\x82\xac") << true;
    QTest::newRow("3 bytes: U+D7FF") << QByteArray("\xed\x9f\xbf") << true;
    QTest::newRow("3 bytes: U+E000") << QByteArray("\xee\x80\x80") << true;
    QTest::newRow("3 bytes: U+FFFD") << QByteArray("\xef\xbf\xbd") << true;
    QTest::newRow("4 bytes: U+10000") << QByteArray("\xf0\x90\x80\x80") << true;
    QTest::newRow("4 bytes: emoji") << QByteArray("\xf0\x9f\x98\x80") << true;
    QTest::newRow("4 bytes: U+10FFFF") << QByteArray("\xf4\x8f\xbf\xbf") << true;
    QTest::newRow("mixed text") << QByteArray("Zoë — 李 😀 ok") << true;

    QTest::newRow("overlong 2 bytes: C0 80 (NUL)") << QByteArray("\xc0\x80") << false;
    QTest::newRow("overlong 2 bytes: C1 BF") << QByteArray("\xc1\xbf") << false;
    QTest::newRow("overlong 3 bytes: E0 80 80") << QByteArray("\xe0\x80\x80") << false;
    QTest::newRow("overlong 3 bytes: E0 9F BF (U+07FF)") << QByteArray("\xe0\x9f\xbf") << false;
    QTest::newRow("overlong 4 bytes: F0 80 80 80") << QByteArray("\xf0\x80\x80\x80") << false;
    QTest::newRow("overlong 4 bytes: F0 8F BF BF (U+FFFF)")
        << QByteArray("\xf0\x8f\xbf\xbf") << false;
    QTest::newRow("surrogate U+D800") << QByteArray("\xed\xa0\x80") << false;
    QTest::newRow("surrogate U+DBFF") << QByteArray("\xed\xaf\xbf") << false;
    QTest::newRow("surrogate U+DC00") << QByteArray("\xed\xb0\x80") << false;
    QTest::newRow("surrogate U+DFFF") << QByteArray("\xed\xbf\xbf") << false;
    QTest::newRow("above U+10FFFF: F4 90 80 80") << QByteArray("\xf4\x90\x80\x80") << false;
    QTest::newRow("lead F5") << QByteArray("\xf5\x80\x80\x80") << false;
    QTest::newRow("lead FF") << QByteArray("\xff") << false;
    QTest::newRow("lone continuation byte") << QByteArray("a\x80"
                                                          "b")
                                            << false;
    QTest::newRow("truncated 2 bytes at the end") << QByteArray("caf\xc3") << false;
    QTest::newRow("truncated 3 bytes at the end") << QByteArray("\xe2\x82") << false;
    QTest::newRow("truncated 4 bytes at the end") << QByteArray("\xf0\x9f\x98") << false;
    QTest::newRow("truncated sequence before ASCII") << QByteArray("\xe2\x82"
                                                                   "A")
                                                     << false;
    QTest::newRow("two leads in a row") << QByteArray("\xc3\xc3\xa9") << false;
    QTest::newRow("Windows-1252 text") << QByteArray("Jos\xe9") << false;
    QTest::newRow("Windows-1252 euro sign") << QByteArray("\x80"
                                                          "5")
                                            << false;
    QTest::newRow("valid, then invalid") << QByteArray("Zo\xc3\xab, Fran\xe7ois") << false;
}

void tst_TextEncoding::isValidUtf8()
{
    QFETCH(QByteArray, bytes);
    QFETCH(bool, valid);
    QCOMPARE(TextCodec::isValidUtf8(bytes), valid);
    // Qt's own decoder agrees.
    if (valid)
        QCOMPARE(QString::fromUtf8(bytes).toUtf8(), bytes);
}

void tst_TextEncoding::windows1252HighRange_data()
{
    QTest::addColumn<int>("byte");
    QTest::addColumn<int>("codePoint");

    // From the Unicode mapping of cp1252 (bestfit1252); the five unassigned bytes map to the C1
    // control of the same value, as Windows' MultiByteToWideChar does.
    const int table[32] = {
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, // 80..87
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F, // 88..8F
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, // 90..97
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178, // 98..9F
    };
    for (int i = 0; i < 32; ++i)
        QTest::addRow("0x%02X", 0x80 + i) << 0x80 + i << table[i];
}

void tst_TextEncoding::windows1252HighRange()
{
    QFETCH(int, byte);
    QFETCH(int, codePoint);
    std::string out;
    const char c = char(byte);
    TextCodec::appendWindows1252AsUtf8(out, QByteArrayView(&c, 1));
    const QByteArray expected = QString(QChar(char16_t(codePoint))).toUtf8();
    QCOMPARE(QByteArray::fromStdString(out), expected);
}

void tst_TextEncoding::windows1252Latin1Range()
{
    for (int byte = 0xA0; byte <= 0xFF; ++byte) {
        std::string out;
        const char c = char(byte);
        TextCodec::appendWindows1252AsUtf8(out, QByteArrayView(&c, 1));
        const QByteArray expected = QString(QChar(char16_t(byte))).toUtf8();
        QVERIFY2(QByteArray::fromStdString(out) == expected,
                 qPrintable(u"byte 0x%1"_s.arg(byte, 0, 16)));
        QVERIFY(TextCodec::isValidUtf8(QByteArrayView(out.data(), qsizetype(out.size()))));
    }
}

void tst_TextEncoding::windows1252KeepsAsciiAndAppends()
{
    std::string out = "prefix:";
    TextCodec::appendWindows1252AsUtf8(out, "Jos\xe9 Fran\xe7ois \x80"
                                            "5 \x85");
    QCOMPARE(QString::fromStdString(out), u"prefix:José François €5 …"_s);

    std::string all;
    QByteArray ascii;
    for (int c = 0; c < 0x80; ++c)
        ascii.append(char(c));
    TextCodec::appendWindows1252AsUtf8(all, ascii);
    QCOMPARE(QByteArray::fromStdString(all), ascii);
}

void tst_TextEncoding::encodingNames()
{
    QCOMPARE(encodingName(TextEncoding::Utf8), u"UTF-8"_s);
    QCOMPARE(encodingName(TextEncoding::Windows1252), u"Windows-1252"_s);
    QCOMPARE(encodingName(TextEncoding::Undecided), u"ASCII"_s);
}

QTEST_GUILESS_MAIN(tst_TextEncoding)
#include "tst_textencoding.moc"
