// The normalisation rules of the integrity diff: what counts as the same email and the same value.

#include "contacts/emailaddress.h"
#include "integrity/valuenormalisation.h"

#include <QTest>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(CompareType)

class tst_ValueNormalisation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void email_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("same");
        QTest::newRow("case") << "Anna.Muster@Example.COM"_ba << "anna.muster@example.com"_ba << true;
        QTest::newRow("spaces") << "  anna@example.com\t"_ba << "anna@example.com"_ba << true;
        QTest::newRow("no-break space") << "\xC2\xA0" "anna@example.com"_ba << "anna@example.com"_ba << true;
        // "e" + COMBINING ACUTE ACCENT (NFD) against U+00E9 (NFC).
        QTest::newRow("NFD vs NFC") << "rene\xCC\x81@example.com"_ba << "ren\xC3\xA9@example.com"_ba << true;
        QTest::newRow("NFD upper vs NFC") << "RENE\xCC\x81@example.com"_ba << "ren\xC3\xA9@example.com"_ba << true;
        QTest::newRow("IDN domain vs ACE") << "kim@b\xC3\xBC" "cher.de"_ba << "kim@xn--bcher-kva.de"_ba << true;
        QTest::newRow("IDN domain upper case") << "kim@B\xC3\x9C" "CHER.DE"_ba << "KIM@xn--bcher-kva.de"_ba << true;
        QTest::newRow("different local part") << "anna@example.com"_ba << "anne@example.com"_ba << false;
        QTest::newRow("accent is not dropped") << "rene@example.com"_ba << "ren\xC3\xA9@example.com"_ba << false;
        QTest::newRow("inner space kept") << "an na@example.com"_ba << "anna@example.com"_ba << false;
    }
    void email()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, same);
        QCOMPARE(ValueNormalisation::email(a) == ValueNormalisation::email(b), same);
    }

    void emailAsciiPathUnchanged()
    {
        // The fast path the journal and the wave assignment rely on.
        QCOMPARE(EmailAddress::normalized(" Bob@Example.ORG "), std::string("bob@example.org"));
        QCOMPARE(EmailAddress::normalized("kim@B\xC3\x9C" "CHER.de"), std::string("kim@xn--bcher-kva.de"));
    }

    void value_data()
    {
        QTest::addColumn<CompareType>("type");
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::addColumn<bool>("same");
        const auto row = [](const char *name, CompareType t, const QString &a, const QString &b, bool same) {
            QTest::newRow(name) << t << a << b << same;
        };
        // Dates in the platforms' forms.
        row("date iso vs iso midnight utc", CompareType::Date, u"2024-03-05"_s, u"2024-03-05T00:00:00Z"_s, true);
        row("date mailchimp vs klaviyo", CompareType::Date, u"2024-03-05 10:15:00"_s, u"2024-03-05T10:15:00+00:00"_s, true);
        row("date zone offset", CompareType::Date, u"2024-03-05T12:15:00+02:00"_s, u"2024-03-05 10:15:00"_s, true);
        row("date slashes unambiguous", CompareType::Date, u"12/31/2024"_s, u"2024-12-31"_s, true);
        row("date different day", CompareType::Date, u"2024-03-05"_s, u"2024-03-06"_s, false);
        row("date ambiguous not guessed", CompareType::Date, u"03/04/2024"_s, u"2024-03-04"_s, false);
        row("date ambiguous same text", CompareType::Date, u"03/04/2024"_s, u" 03/04/2024 "_s, true);
        row("date different time", CompareType::Date, u"2024-03-05 10:15:00"_s, u"2024-03-05 10:16:00"_s, false);
        // Numbers.
        row("number trailing zero", CompareType::Number, u"1.50"_s, u"1.5"_s, true);
        row("number leading zero", CompareType::Number, u"007"_s, u"7"_s, true);
        row("number plus sign", CompareType::Number, u"+3"_s, u"3"_s, true);
        row("number integer vs .0", CompareType::Number, u"42.0"_s, u"42"_s, true);
        row("number thousands", CompareType::Number, u"1,234.5"_s, u"1234.50"_s, true);
        row("number different", CompareType::Number, u"1.5"_s, u"1.51"_s, false);
        row("number negative zero", CompareType::Number, u"-0.0"_s, u"0"_s, true);
        // Auto: numbers without a leading zero; codes keep their zeros.
        row("auto number", CompareType::Auto, u"1.50"_s, u"1.5"_s, true);
        row("auto postcode keeps zero", CompareType::Auto, u"01234"_s, u"1234"_s, false);
        row("auto iso dates", CompareType::Auto, u"2024-03-05"_s, u"2024-03-05T00:00:00Z"_s, true);
        row("auto text case matters", CompareType::Auto, u"Berlin"_s, u"berlin"_s, false);
        // Phones.
        row("phone spaces", CompareType::Phone, u"+49 30 123456"_s, u"+4930123456"_s, true);
        row("phone punctuation", CompareType::Phone, u"+1 (555) 010-2000"_s, u"+15550102000"_s, true);
        row("phone national digits", CompareType::Phone, u"030 123 456"_s, u"030-123456"_s, true);
        row("phone different", CompareType::Phone, u"+4930123456"_s, u"+4930123457"_s, false);
        // White space.
        row("text trim", CompareType::Text, u"  Anna "_s, u"Anna"_s, true);
        row("text collapse", CompareType::Text, u"Anna   Maria"_s, u"Anna Maria"_s, true);
        row("text newline and tab", CompareType::Text, u"Anna\n\tMaria"_s, u"Anna Maria"_s, true);
        row("text no-break space", CompareType::Text, u"Anna\u00A0Maria"_s, u"Anna Maria"_s, true);
        row("text NFC", CompareType::Text, u"Rene\u0301"_s, u"Ren\u00E9"_s, true);
        row("text case kept", CompareType::Text, u"anna"_s, u"Anna"_s, false);
        row("text inner space matters", CompareType::Text, u"AnnaMaria"_s, u"Anna Maria"_s, false);
        // Empty equals absent.
        row("empty vs blank", CompareType::Text, QString(), u"   "_s, true);
        row("empty number", CompareType::Number, QString(), u" "_s, true);
        row("empty vs value", CompareType::Text, QString(), u"x"_s, false);
        // Tag sets.
        row("tags order", CompareType::Tags, u"\"VIP\",\"Spring 2024\""_s, u"Spring 2024, VIP"_s, true);
        row("tags case and space", CompareType::Tags, u"vip ,  spring   2024"_s, u"VIP,Spring 2024"_s, true);
        row("tags json array", CompareType::Tags, u"[\"b\",\"a\"]"_s, u"a,b"_s, true);
        row("tags duplicates", CompareType::Tags, u"a,a,b"_s, u"b,a"_s, true);
        row("tags semicolon", CompareType::Tags, u"a;b"_s, u"b,a"_s, true);
        row("tags quoted comma stays one", CompareType::Tags, u"\"a,b\""_s, u"a,b"_s, false);
        row("tags missing one", CompareType::Tags, u"a,b"_s, u"a"_s, false);
        // Booleans.
        row("boolean yes", CompareType::Boolean, u"Yes"_s, u"true"_s, true);
        row("boolean 0", CompareType::Boolean, u"0"_s, u"FALSE"_s, true);
        row("boolean differs", CompareType::Boolean, u"1"_s, u"no"_s, false);
    }
    void value()
    {
        QFETCH(CompareType, type);
        QFETCH(QString, a);
        QFETCH(QString, b);
        QFETCH(bool, same);
        const std::string na = ValueNormalisation::normalised(a.toUtf8(), type);
        const std::string nb = ValueNormalisation::normalised(b.toUtf8(), type);
        QVERIFY2((na == nb) == same, (QByteArray("\"") + na.c_str() + "\" vs \"" + nb.c_str() + '"').constData());
    }

    void canonicalForms()
    {
        QCOMPARE(ValueNormalisation::normalised("1.50", CompareType::Number), std::string("1.5"));
        QCOMPARE(ValueNormalisation::normalised("2024-03-05 10:15:00", CompareType::Date), std::string("2024-03-05T10:15:00Z"));
        QCOMPARE(ValueNormalisation::normalised(" a  b ", CompareType::Text), std::string("a b"));
        QCOMPARE(ValueNormalisation::normalised("B, a", CompareType::Tags), std::string("a\x1f" "b"));
    }

    void compareTypeKeys()
    {
        for (const CompareType t : {CompareType::Auto, CompareType::Text, CompareType::Number, CompareType::Date,
                                    CompareType::Phone, CompareType::Tags, CompareType::Boolean})
            QCOMPARE(CompareTypes::fromKey(CompareTypes::key(t)), t);
        QCOMPARE(CompareTypes::fromKey(u"URL"), CompareType::Text);
        QCOMPARE(CompareTypes::fromKey(u"nonsense"), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(tst_ValueNormalisation)
#include "tst_valuenormalisation.moc"
