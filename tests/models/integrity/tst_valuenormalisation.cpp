// The normalisation rules of the integrity diff: what counts as the same email and the same value.

#include "contacts/emailaddress.h"
#include "integrity/valuenormalisation.h"
#include "integrity/valuenormalisation_p.h"

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

    // The fast paths (ISO and platform dates, phones) give exactly what the general path gives.
    void fastPathsAsGeneral_data()
    {
        QTest::addColumn<CompareType>("type");
        QTest::addColumn<QByteArray>("value");
        const auto row = [](CompareType t, const char *v) {
            QTest::addRow("%s %s", qPrintable(CompareTypes::key(t)), v) << t << QByteArray(v);
        };
        for (const CompareType t : {CompareType::Date, CompareType::Auto}) {
            for (const char *v :
                 {"2024-03-05", "2024-3-5", "2024/03/05", "2024.03.05", "2024-03-05 10:15:00", "2024-03-05T10:15:00",
                  "2024-03-05T10:15:00Z", "2024-03-05T10:15:00.000Z", "2024-03-05T10:15:00.5Z",
                  "2024-03-05T10:15:00.123456789Z", "2024-03-05T10:15:00.1234567890Z", "2024-03-05T10:15:00,25",
                  "2024-03-05T00:00:00Z", "2024-03-05 00:00", "2024-03-05 9:05", "2024-03-05 10:15",
                  "2024-03-05 10:15:00 Z", "2024-03-05 10:15:00 UTC", "2024-03-05 10:15:00GMT",
                  "2024-03-05T10:15:00+00:00", "2024-03-05T12:15:00+02:00", "2024-03-05T01:15:00+0200",
                  "2024-03-05T01:15:00+02", "2024-03-05T23:15:00-05:00", "2024-12-31T23:30:00-01:00",
                  "2024-01-01T00:30:00+01:00", "2024-03-01T00:00:00+00:01", "2024-02-29 10:00:00",
                  "2023-02-29 10:00:00", "1900-02-29", "2000-02-29", "2024-04-31", "2024-13-01", "2024-00-10",
                  "2024-01-00", "0999-01-01", "1000-01-01T00:00:00+01:00", "9999-12-31T23:00:00-02:00",
                  "2024-03-05T24:00:00", "2024-03-05T23:60:00", "2024-03-05T23:59:60", "2024-03-05T10:15:00+15:00",
                  "2024-03-05T10:15:00+02:60", "2024-03-05T10:15:00+020", "2024-03-05T10:15:00+2",
                  "2024-03-05 10:15:00 PM", "2024-03-05 10:15:00am", "2024-03-05t10:15:00", "2024-03-05X10:15",
                  "2024-03-05 10:1", "2024-03-05 10:15:0", "2024-03-05 100:15", "2024-03-055", "2024-003-05",
                  "2024-03/05", "20240305", "12/31/2024", "03/04/2024", "31.12.2024 10:00", "2024-03-05 10:15:00.",
                  "2024-03-05 10:15.5", "2024-03-05 10:15:00 +02:00", "2024-03-05 10:15:00 -00:30",
                  "2024-03-05 10:15:00 Europe/Berlin", "2024-03-05T10:15:00+02:00:00", "\xd9\xa2" "024-03-05",
                  "2024", "2024-", "2024-03-", "2024-03-05 ", " 2024-03-05T10:15:00Z ", "2024-03-05\t10:15"})
                row(t, v);
        }
        for (const char *v :
             {"+1 555 010 2000", "+15550102000", "+1-555-010-2000", "+1.555.010.2000", "+1 555 010 200",
              "+1 155 010 2000", "+49 30 123456", "+4930123456", "0049 30 123456", "030 123 456", "030-123456",
              "+44 07700 900123", "+39 06 1234567", "+225 0123 4567", "+28 1234 5678", "+0 1234 5678",
              "+49 30 1234567890123", "+49 30", "+1", "+", "++1 555", "1+555", "555/0102000", "+1 (555) 010-2000",
              "+49 (0)30 123456", "+1 555 010 2000 x12", "+1 555 010 2000 ext. 12", "+1 555 O10 2000",
              "+7 912 345 67 89", "+7 012 345 67 89", "+378 0549 123456", "00", "0", "-", "+1 555 010 2000#"})
            row(CompareType::Phone, v);
    }
    void fastPathsAsGeneral()
    {
        QFETCH(CompareType, type);
        QFETCH(QByteArray, value);
        std::string fast, general;
        ValueNormalisation::normalise(value, type, fast);
        ValueNormalisation::normaliseGeneral(value, type, general);
        QCOMPARE(QByteArray::fromStdString(fast), QByteArray::fromStdString(general));
    }

    // The shapes the platforms write take the fast paths (else the paths above prove nothing).
    void fastPathsTaken()
    {
        for (const char *v : {"2024-03-05 10:15:00", "2024-03-05T10:15:00Z", "2024-03-05T10:15:00.000Z",
                              "2024-03-05T10:15:00+00:00", "2024-03-05"}) {
            std::string s(v);
            QVERIFY2(ValueNormalisation::Detail::fastDate(s), v);
        }
        for (const char *v : {"+1 555 010 2000", "+15550102000", "030 123 456"}) {
            std::string s(v);
            QVERIFY2(ValueNormalisation::Detail::fastPhone(s), v);
        }
        std::string s("2024-03-05 10:15:00 pm");
        QVERIFY(!ValueNormalisation::Detail::fastDate(s));
        s = "+1 (555) 010-2000";
        QVERIFY(!ValueNormalisation::Detail::fastPhone(s));
    }

    // Every minute of some days around year and month ends, in several zones, both ways.
    void fastDatesSweep()
    {
        int checked = 0;
        for (const char *day : {"2023-12-31", "2024-01-01", "2024-02-28", "2024-02-29", "2024-03-01", "2100-02-28"}) {
            for (int minute = 0; minute < 24 * 60; minute += 7) {
                for (const char *zone : {"", "Z", "+01:00", "-05:30", "+14", "-1200"}) {
                    const QByteArray v = QByteArray(day) + ' ' + QByteArray::number(minute / 60).rightJustified(2, '0')
                        + ':' + QByteArray::number(minute % 60).rightJustified(2, '0') + ":59" + zone;
                    std::string fast, general;
                    ValueNormalisation::normalise(v, CompareType::Date, fast);
                    ValueNormalisation::normaliseGeneral(v, CompareType::Date, general);
                    QVERIFY2(fast == general, (v + " fast " + fast.c_str() + " general " + general.c_str()).constData());
                    ++checked;
                }
            }
        }
        QCOMPARE(checked, 6 * 206 * 6);
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
