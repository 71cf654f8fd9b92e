#include "contacts/valuecoercion.h"
#include "contacts/valuecoercion_p.h"

#include <QDate>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

using Order = CoercionOptions::DateOrder;
using Birthday = CoercionOptions::BirthdayPolicy;
using Extension = CoercionOptions::PhoneExtension;

Q_DECLARE_METATYPE(CoercionOptions::DateOrder)
Q_DECLARE_METATYPE(CoercionOptions::BirthdayPolicy)
Q_DECLARE_METATYPE(CoercionOptions::PhoneExtension)
Q_DECLARE_METATYPE(FieldType)

namespace {

// A result is either the expected value, or an error whose message contains `error`.
void verify(const Result<Coerced> &r, const QString &value, const QString &expected,
            const QString &error)
{
    if (error.isEmpty()) {
        QVERIFY2(r.ok(),
                 qPrintable(u"'%1': %2"_s.arg(value, r.ok() ? QString() : r.error().toString())));
        QCOMPARE(r->value, expected);
        return;
    }
    QVERIFY2(!r.ok(), qPrintable(u"'%1' gave '%2' instead of an error"_s.arg(
                          value, r.ok() ? r->value : QString())));
    QVERIFY2(r.error().message.contains(error),
             qPrintable(u"message '%1' does not say '%2'"_s.arg(r.error().message, error)));
    QVERIFY(r.error().where.isEmpty()); // the caller adds the record and field
}

// "key=value|key=value", sorted by key, for comparing parts in one column.
QString flatten(const QMap<QString, QString> &parts)
{
    QStringList out;
    for (auto it = parts.cbegin(); it != parts.cend(); ++it)
        out << it.key() + u'=' + it.value();
    return out.join(u'|');
}

} // namespace

class tst_ValueCoercion : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dateOrderFromFormat_data();
    void dateOrderFromFormat();
    void date_data();
    void date();
    void dateTimeUtc_data();
    void dateTimeUtc();
    void birthday_data();
    void birthday();
    void birthdayParts();
    void number_data();
    void number();
    void phone_data();
    void phone();
    void phoneParts_data();
    void phoneParts();
    void address_data();
    void address();
    void addressObject();
    void text_data();
    void text();
    void url_data();
    void url();
    void boolean_data();
    void boolean();
    void emptyIsNoValue_data();
    void emptyIsNoValue();
    void coerceByType_data();
    void coerceByType();
    void yearFirstDateAsTheExpressionReadsIt();
    void isoDateAsQtWritesIt();
};

void tst_ValueCoercion::dateOrderFromFormat_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("order"); // -1: not recognised

    QTest::newRow("date MM/DD/YYYY") << u"MM/DD/YYYY"_s << int(Order::MonthFirst);
    QTest::newRow("date DD/MM/YYYY") << u"DD/MM/YYYY"_s << int(Order::DayFirst);
    QTest::newRow("birthday MM/DD") << u"MM/DD"_s << int(Order::MonthFirst);
    QTest::newRow("birthday dd/mm, lower case") << u"dd/mm"_s << int(Order::DayFirst);
    QTest::newRow("dotted") << u"DD.MM.YYYY"_s << int(Order::DayFirst);
    QTest::newRow("year first is no order") << u"YYYY-MM-DD"_s << -1;
    QTest::newRow("empty") << QString() << -1;
    QTest::newRow("nonsense") << u"medium"_s << -1;
}

void tst_ValueCoercion::dateOrderFromFormat()
{
    QFETCH(QString, format);
    QFETCH(int, order);
    const auto got = ValueCoercion::dateOrderFromFormat(format);
    QCOMPARE(got ? int(*got) : -1, order);
}

void tst_ValueCoercion::date_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<Order>("order");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const Order U = Order::Undeclared;
    const Order MF = Order::MonthFirst;
    const Order DF = Order::DayFirst;

    QTest::newRow("ISO date") << u"2024-01-02"_s << U << u"2024-01-02"_s << QString();
    QTest::newRow("Mailchimp export timestamp")
        << u"2013-06-25 17:38:27"_s << U << u"2013-06-25"_s << QString();
    QTest::newRow("ISO with T and Z")
        << u"2024-01-02T10:00:00Z"_s << U << u"2024-01-02"_s << QString();
    QTest::newRow("zoned: the date as written")
        << u"2024-01-02T23:30:00-05:00"_s << U << u"2024-01-02"_s << QString();
    QTest::newRow("year first with slashes, one-digit parts")
        << u"2024/1/2"_s << U << u"2024-01-02"_s << QString();
    QTest::newRow("year first with dots") << u"2024.12.31"_s << U << u"2024-12-31"_s << QString();
    QTest::newRow("MM/DD/YYYY") << u"01/02/2024"_s << MF << u"2024-01-02"_s << QString();
    QTest::newRow("DD/MM/YYYY") << u"01/02/2024"_s << DF << u"2024-02-01"_s << QString();
    QTest::newRow("DD.MM.YYYY") << u"31.12.2023"_s << DF << u"2023-12-31"_s << QString();
    QTest::newRow("MM-DD-YYYY") << u"12-31-2023"_s << MF << u"2023-12-31"_s << QString();
    QTest::newRow("one-digit month and day") << u"1/2/2024"_s << MF << u"2024-01-02"_s << QString();
    QTest::newRow("month-first with a time")
        << u"01/02/2024 10:00"_s << MF << u"2024-01-02"_s << QString();
    QTest::newRow("leap day 2024") << u"2024-02-29"_s << U << u"2024-02-29"_s << QString();
    QTest::newRow("leap day 2000") << u"29/02/2000"_s << DF << u"2000-02-29"_s << QString();
    QTest::newRow("day over 12, day first")
        << u"13/02/2024"_s << DF << u"2024-02-13"_s << QString();
    QTest::newRow("Arabic-Indic digits") << u"\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0662"_s
                                         << U << u"2024-01-02"_s << QString();
    QTest::newRow("surrounding spaces") << u"  2024-01-02 "_s << U << u"2024-01-02"_s << QString();

    QTest::newRow("29 Feb 2023") << u"2023-02-29"_s << U << QString()
                                 << u"not a day of the calendar"_s;
    QTest::newRow("29 Feb 1900 (not leap)")
        << u"02/29/1900"_s << MF << QString() << u"not a day of the calendar"_s;
    QTest::newRow("31 April, day first")
        << u"31/04/2024"_s << DF << QString() << u"not a day of the calendar"_s;
    QTest::newRow("31 April, month first")
        << u"04/31/2024"_s << MF << QString() << u"not a day of the calendar"_s;
    QTest::newRow("month 13, month first")
        << u"13/02/2024"_s << MF << QString() << u"not a day of the calendar"_s;
    QTest::newRow("day 0") << u"2024-01-00"_s << U << QString() << u"not a day of the calendar"_s;
    QTest::newRow("year 0000") << u"0000-01-01"_s << U << QString()
                               << u"not a day of the calendar"_s;
    QTest::newRow("ambiguous without a declared order")
        << u"01/02/2024"_s << U << QString() << u"could be month/day or day/month"_s;
    QTest::newRow("day over 12 is still not guessed")
        << u"13/02/2024"_s << U << QString() << u"could be month/day or day/month"_s;
    QTest::newRow("two-digit year") << u"01/02/24"_s << MF << QString() << u"two-digit year"_s;
    QTest::newRow("two-digit year, undeclared")
        << u"01/02/24"_s << U << QString() << u"two-digit year"_s;
    QTest::newRow("two-digit year first") << u"24-01-02"_s << U << QString() << u"two-digit year"_s;
    QTest::newRow("three-digit year")
        << u"01/02/202"_s << MF << QString() << u"not a date in a known form"_s;
    QTest::newRow("ISO basic form")
        << u"20240102"_s << U << QString() << u"not a date in a known form"_s;
    QTest::newRow("month name") << u"Jan 2, 2024"_s << U << QString()
                                << u"not a date in a known form"_s;
    QTest::newRow("trailing words")
        << u"2024-01-02 sometime"_s << U << QString() << u"not a date in a known form"_s;
    QTest::newRow("mixed separators")
        << u"2024-01/02"_s << U << QString() << u"not a date in a known form"_s;
    QTest::newRow("hour 24") << u"2024-01-02 24:00:00"_s << U << QString()
                             << u"time that does not exist"_s;
    QTest::newRow("minute 60") << u"2024-01-02 10:60"_s << U << QString()
                               << u"time that does not exist"_s;
    QTest::newRow("leap second") << u"2016-12-31 23:59:60"_s << U << QString()
                                 << u"time that does not exist"_s;
}

void tst_ValueCoercion::date()
{
    QFETCH(QString, value);
    QFETCH(Order, order);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    CoercionOptions options;
    options.dateOrder = order;
    verify(ValueCoercion::toDate(value, options), value, expected, error);
}

void tst_ValueCoercion::dateTimeUtc_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QByteArray>("zone"); // empty: no zone declared
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const QByteArray utc = "UTC";
    const QByteArray berlin = "Europe/Berlin";

    QTest::newRow("Mailchimp timestamp is UTC")
        << u"2013-06-25 17:38:27"_s << utc << u"2013-06-25T17:38:27Z"_s << QString();
    QTest::newRow("Z") << u"2024-01-02T10:00:00Z"_s << utc << u"2024-01-02T10:00:00Z"_s
                       << QString();
    QTest::newRow("negative offset crosses midnight")
        << u"2024-01-02T23:30:00-05:00"_s << utc << u"2024-01-03T04:30:00Z"_s << QString();
    QTest::newRow("offset without colon")
        << u"2024-01-02T10:00:00+0530"_s << utc << u"2024-01-02T04:30:00Z"_s << QString();
    QTest::newRow("hours-only offset, no seconds")
        << u"2024-01-02 10:00+01"_s << utc << u"2024-01-02T09:00:00Z"_s << QString();
    QTest::newRow("space before UTC")
        << u"2024-01-02 10:00:00 UTC"_s << utc << u"2024-01-02T10:00:00Z"_s << QString();
    QTest::newRow("milliseconds kept")
        << u"2024-01-02T10:00:00.25Z"_s << utc << u"2024-01-02T10:00:00.250Z"_s << QString();
    QTest::newRow("microseconds cut to milliseconds")
        << u"2024-01-02T10:00:00.123456Z"_s << utc << u"2024-01-02T10:00:00.123Z"_s << QString();
    QTest::newRow("a date alone is midnight UTC")
        << u"2024-01-02"_s << utc << u"2024-01-02T00:00:00Z"_s << QString();
    QTest::newRow("a date alone needs no zone")
        << u"2024-01-02"_s << QByteArray() << u"2024-01-02T00:00:00Z"_s << QString();
    QTest::newRow("PM") << u"2024-01-02 3:05 PM"_s << utc << u"2024-01-02T15:05:00Z"_s << QString();
    QTest::newRow("12 AM is midnight")
        << u"2024-01-02 12:00 am"_s << utc << u"2024-01-02T00:00:00Z"_s << QString();
    QTest::newRow("12 PM is noon")
        << u"2024-01-02 12:00:00 PM"_s << utc << u"2024-01-02T12:00:00Z"_s << QString();
    QTest::newRow("Berlin summer")
        << u"2024-07-01 12:00:00"_s << berlin << u"2024-07-01T10:00:00Z"_s << QString();
    QTest::newRow("Berlin winter")
        << u"2024-01-02 12:00"_s << berlin << u"2024-01-02T11:00:00Z"_s << QString();
    QTest::newRow("Berlin, but the value says Z")
        << u"2024-07-01T12:00:00Z"_s << berlin << u"2024-07-01T12:00:00Z"_s << QString();

    QTest::newRow("13 PM") << u"2024-01-02 13:00 PM"_s << utc << QString() << u"12-hour clock"_s;
    QTest::newRow("offset beyond +14")
        << u"2024-01-02T10:00:00+15:00"_s << utc << QString() << u"offset that does not exist"_s;
    QTest::newRow("offset minutes 60")
        << u"2024-01-02T10:00:00+01:60"_s << utc << QString() << u"offset that does not exist"_s;
    QTest::newRow("Berlin: the hour the clocks skip")
        << u"2024-03-31 02:30:00"_s << berlin << QString() << u"clocks skip"_s;
    QTest::newRow("Berlin: the hour that happens twice")
        << u"2024-10-27 02:30:00"_s << berlin << QString() << u"happens twice"_s;
    QTest::newRow("time without a zone, none declared")
        << u"2024-07-01 12:00:00"_s << QByteArray() << QString() << u"no time zone"_s;
}

void tst_ValueCoercion::dateTimeUtc()
{
    QFETCH(QString, value);
    QFETCH(QByteArray, zone);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    CoercionOptions options;
    options.dateOutput = CoercionOptions::DateOutput::DateTimeUtc;
    options.naiveTimeZone = zone.isEmpty() ? QTimeZone() : QTimeZone(zone);
    QVERIFY(zone.isEmpty() || options.naiveTimeZone.isValid());
    verify(ValueCoercion::toDate(value, options), value, expected, error);
}

void tst_ValueCoercion::birthday_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<Order>("order");
    QTest::addColumn<Birthday>("policy");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const Order U = Order::Undeclared;
    const Order MF = Order::MonthFirst;
    const Order DF = Order::DayFirst;
    const Birthday iso = Birthday::IsoWithoutYear;

    QTest::newRow("Mailchimp MM/DD") << u"03/14"_s << MF << iso << u"--03-14"_s << QString();
    QTest::newRow("DD/MM") << u"14/03"_s << DF << iso << u"--03-14"_s << QString();
    QTest::newRow("one-digit parts") << u"3/5"_s << MF << iso << u"--03-05"_s << QString();
    QTest::newRow("--MM-DD needs no order")
        << u"--03-14"_s << U << iso << u"--03-14"_s << QString();
    QTest::newRow("--MMDD (vCard)") << u"--0314"_s << U << iso << u"--03-14"_s << QString();
    QTest::newRow("29 Feb") << u"02/29"_s << MF << iso << u"--02-29"_s << QString();
    QTest::newRow("MM-DD text") << u"3/5"_s << MF << Birthday::MonthDayText << u"03-05"_s
                                << QString();
    QTest::newRow("placeholder year")
        << u"12/25"_s << MF << Birthday::PlaceholderYear << u"1904-12-25"_s << QString();
    QTest::newRow("placeholder keeps 29 Feb")
        << u"29.02"_s << DF << Birthday::PlaceholderYear << u"1904-02-29"_s << QString();
    QTest::newRow("full-width digits")
        << u"\uFF10\uFF13/\uFF11\uFF14"_s << MF << iso << u"--03-14"_s << QString();
    QTest::newRow("full date keeps its year")
        << u"1990-05-17"_s << U << iso << u"1990-05-17"_s << QString();
    QTest::newRow("full date, month first")
        << u"05/17/1990"_s << MF << iso << u"1990-05-17"_s << QString();
    QTest::newRow("full date with a time")
        << u"1990-05-17 00:00:00"_s << U << iso << u"1990-05-17"_s << QString();
    QTest::newRow("full date is fine where a year is required")
        << u"1990-05-17"_s << U << Birthday::Reject << u"1990-05-17"_s << QString();

    QTest::newRow("31/02") << u"31/02"_s << DF << iso << QString()
                           << u"birthday '31/02' is not a date"_s;
    QTest::newRow("02/31") << u"02/31"_s << MF << iso << QString() << u"is not a date"_s;
    QTest::newRow("04/31") << u"04/31"_s << MF << iso << QString() << u"is not a date"_s;
    QTest::newRow("month 13") << u"13/01"_s << MF << iso << QString() << u"is not a date"_s;
    QTest::newRow("day 0") << u"01/00"_s << MF << iso << QString() << u"is not a date"_s;
    QTest::newRow("--02-30") << u"--02-30"_s << U << iso << QString() << u"is not a date"_s;
    QTest::newRow("no order declared")
        << u"03/14"_s << U << iso << QString() << u"month/day or day/month"_s;
    QTest::newRow("no year where one is required")
        << u"12/25"_s << MF << Birthday::Reject << QString() << u"no year"_s;
    QTest::newRow("full date, two-digit year")
        << u"05/17/90"_s << MF << iso << QString() << u"two-digit year"_s;
    QTest::newRow("29 Feb 1991") << u"1991-02-29"_s << U << iso << QString()
                                 << u"not a day of the calendar"_s;
    QTest::newRow("words") << u"March 14"_s << MF << iso << QString() << u"not a month and day"_s;
}

void tst_ValueCoercion::birthday()
{
    QFETCH(QString, value);
    QFETCH(Order, order);
    QFETCH(Birthday, policy);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    CoercionOptions options;
    options.dateOrder = order;
    options.birthdayPolicy = policy;
    verify(ValueCoercion::toBirthday(value, options), value, expected, error);
}

void tst_ValueCoercion::birthdayParts()
{
    CoercionOptions options;
    options.dateOrder = Order::DayFirst;
    const Result<Coerced> noYear = ValueCoercion::toBirthday(u"7/3"_s, options);
    QVERIFY(noYear.ok());
    QCOMPARE(flatten(noYear->parts), u"day=07|month=03"_s);
    const Result<Coerced> withYear = ValueCoercion::toBirthday(u"17/05/1990"_s, options);
    QVERIFY(withYear.ok());
    QCOMPARE(flatten(withYear->parts), u"day=17|month=05|year=1990"_s);
}

void tst_ValueCoercion::number_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QChar>("decimal");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const QChar point = u'.';
    const QChar comma = u',';
    const QString notPlain = u"not a plain number"_s;
    const QString misplaced = u"separators in the wrong places"_s;

    QTest::newRow("integer") << u"42"_s << point << u"42"_s << QString();
    QTest::newRow("negative") << u"-42"_s << point << u"-42"_s << QString();
    QTest::newRow("plus sign") << u"+42"_s << point << u"42"_s << QString();
    QTest::newRow("Unicode minus") << u"\u221242"_s << point << u"-42"_s << QString();
    QTest::newRow("decimal") << u"3.14"_s << point << u"3.14"_s << QString();
    QTest::newRow("1,234.5") << u"1,234.5"_s << point << u"1234.5"_s << QString();
    QTest::newRow("1.234,5") << u"1.234,5"_s << comma << u"1234.5"_s << QString();
    QTest::newRow("German millions") << u"1.234.567,89"_s << comma << u"1234567.89"_s << QString();
    QTest::newRow("Swiss apostrophe") << u"1'234.50"_s << point << u"1234.5"_s << QString();
    QTest::newRow("NBSP thousands") << u"1\u00A0234,5"_s << comma << u"1234.5"_s << QString();
    QTest::newRow("narrow NBSP thousands")
        << u"1\u202F234\u202F567"_s << comma << u"1234567"_s << QString();
    QTest::newRow("space thousands") << u"12 345"_s << point << u"12345"_s << QString();
    QTest::newRow("1,234 with point decimal is thousands")
        << u"1,234"_s << point << u"1234"_s << QString();
    QTest::newRow("1,234 with comma decimal is a fraction")
        << u"1,234"_s << comma << u"1.234"_s << QString();
    QTest::newRow("1.234 with comma decimal is thousands")
        << u"1.234"_s << comma << u"1234"_s << QString();
    QTest::newRow("trailing zeros") << u"2.500"_s << point << u"2.5"_s << QString();
    QTest::newRow("only zeros after the point") << u"7.00"_s << point << u"7"_s << QString();
    QTest::newRow("leading zeros") << u"007"_s << point << u"7"_s << QString();
    QTest::newRow("zero") << u"0"_s << point << u"0"_s << QString();
    QTest::newRow("negative zero") << u"-0,00"_s << comma << u"0"_s << QString();
    QTest::newRow("fraction only") << u".5"_s << point << u"0.5"_s << QString();
    QTest::newRow("small fraction") << u"0,000123"_s << comma << u"0.000123"_s << QString();
    QTest::newRow("Arabic-Indic digits")
        << u"\u0661\u0662\u0663"_s << point << u"123"_s << QString();
    QTest::newRow("Devanagari digits")
        << u"\u0967\u0968.\u096B"_s << point << u"12.5"_s << QString();
    QTest::newRow("15 significant digits")
        << u"123456789012345"_s << point << u"123456789012345"_s << QString();
    QTest::newRow("trailing integer zeros are not significant")
        << u"12000000000000000000"_s << point << u"12000000000000000000"_s << QString();

    QTest::newRow("12 %") << u"12 %"_s << point << QString() << notPlain;
    QTest::newRow("12%") << u"12%"_s << point << QString() << notPlain;
    QTest::newRow("currency sign") << u"\u20AC12"_s << point << QString() << notPlain;
    QTest::newRow("currency code") << u"12.50 EUR"_s << point << QString() << notPlain;
    QTest::newRow("dollar") << u"$1,234.00"_s << point << QString() << notPlain;
    QTest::newRow("exponent") << u"1e5"_s << point << QString() << notPlain;
    QTest::newRow("superscript digit") << u"2\u00B2"_s << point << QString() << notPlain;
    QTest::newRow("sign only") << u"-"_s << point << QString() << notPlain;
    QTest::newRow("two signs") << u"--5"_s << point << QString() << notPlain;
    QTest::newRow("point only") << u"."_s << point << QString() << notPlain;
    QTest::newRow("trailing point") << u"5."_s << point << QString() << notPlain;
    QTest::newRow("words") << u"twelve"_s << point << QString() << notPlain;
    QTest::newRow("1,5 with point decimal") << u"1,5"_s << point << QString() << misplaced;
    QTest::newRow("two decimal points") << u"1.234.567"_s << point << QString() << misplaced;
    QTest::newRow("1,234.5 with comma decimal") << u"1,234.5"_s << comma << QString() << misplaced;
    QTest::newRow("mixed group separators") << u"1,234 567"_s << point << QString() << misplaced;
    QTest::newRow("Indian grouping") << u"1,23,456"_s << point << QString() << misplaced;
    QTest::newRow("group of four") << u"1,2345"_s << point << QString() << misplaced;
    QTest::newRow("leading separator") << u",123"_s << point << QString() << misplaced;
    QTest::newRow("16 significant digits")
        << u"1234567890123456"_s << point << QString() << u"16 significant digits"_s;
    QTest::newRow("16 significant digits in a fraction")
        << u"0.1234567890123456"_s << point << QString() << u"16 significant digits"_s;
}

void tst_ValueCoercion::number()
{
    QFETCH(QString, value);
    QFETCH(QChar, decimal);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    CoercionOptions options;
    options.decimalSeparator = decimal;
    verify(ValueCoercion::toNumber(value, options), value, expected, error);
}

void tst_ValueCoercion::phone_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("home"); // default calling code
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const QString none;
    QTest::newRow("already E.164") << u"+4930123456"_s << none << u"+4930123456"_s << QString();
    QTest::newRow("0049 (0)30 1234567")
        << u"0049 (0)30 1234567"_s << none << u"+49301234567"_s << QString();
    QTest::newRow("+49 (0)30 1234567")
        << u"+49 (0)30 1234567"_s << none << u"+49301234567"_s << QString();
    QTest::newRow("+1 (555) 010-0000")
        << u"+1 (555) 010-0000"_s << none << u"+15550100000"_s << QString();
    QTest::newRow("Mailchimp export")
        << u"+1 555 010 0199"_s << none << u"+15550100199"_s << QString();
    QTest::newRow("international wins over the default")
        << u"0033 1 23 45 67 89"_s << u"49"_s << u"+33123456789"_s << QString();
    QTest::newRow("US national") << u"(555) 010-0000"_s << u"1"_s << u"+15550100000"_s << QString();
    QTest::newRow("US national with trunk 1")
        << u"1-555-010-0000"_s << u"1"_s << u"+15550100000"_s << QString();
    QTest::newRow("US dots") << u"555.010.0000"_s << u"1"_s << u"+15550100000"_s << QString();
    QTest::newRow("011 from North America")
        << u"011 44 20 7946 0018"_s << u"1"_s << u"+442079460018"_s << QString();
    QTest::newRow("German national")
        << u"030 1234567"_s << u"49"_s << u"+49301234567"_s << QString();
    QTest::newRow("German area code in brackets")
        << u"(030) 123 45 67"_s << u"49"_s << u"+49301234567"_s << QString();
    QTest::newRow("German slash") << u"030/1234567"_s << u"49"_s << u"+49301234567"_s << QString();
    QTest::newRow("French national")
        << u"01 23 45 67 89"_s << u"33"_s << u"+33123456789"_s << QString();
    QTest::newRow("UK mobile") << u"07700 900123"_s << u"44"_s << u"+447700900123"_s << QString();
    QTest::newRow("Italy keeps its 0")
        << u"06 1234 5678"_s << u"39"_s << u"+390612345678"_s << QString();
    QTest::newRow("Italy international")
        << u"+39 06 1234 5678"_s << none << u"+390612345678"_s << QString();
    QTest::newRow("Italy (0) is a digit")
        << u"+39 (0)6 1234 5678"_s << none << u"+390612345678"_s << QString();
    QTest::newRow("Russia, trunk 8")
        << u"8 912 345-67-89"_s << u"7"_s << u"+79123456789"_s << QString();
    QTest::newRow("Hungary, trunk 06")
        << u"06 1 234 5678"_s << u"36"_s << u"+3612345678"_s << QString();
    QTest::newRow("three-digit country code")
        << u"+353 1 234 5678"_s << none << u"+35312345678"_s << QString();
    QTest::newRow("full-width digits and plus")
        << u"\uFF0B\uFF14\uFF19 \uFF13\uFF10 \uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17"_s << none
        << u"+49301234567"_s << QString();
    QTest::newRow("Arabic-Indic digits")
        << u"+\u0669\u0667\u0661 \u0665\u0660 \u0661\u0662\u0663 \u0664\u0665\u0666\u0667"_s << none
        << u"+971501234567"_s << QString();
    QTest::newRow("NBSP between groups")
        << u"+49\u00A030\u00A01234567"_s << none << u"+49301234567"_s << QString();
    QTest::newRow("en dash") << u"+49 30\u20131234567"_s << none << u"+49301234567"_s << QString();
    QTest::newRow("15 digits") << u"+49 1234 5678 9012 3"_s << none << u"+491234567890123"_s
                               << QString();

    QTest::newRow("555-0100 without a country")
        << u"555-0100"_s << none << QString() << u"no country calling code"_s;
    QTest::newRow("555-0100 in North America")
        << u"555-0100"_s << u"1"_s << QString() << u"North American"_s;
    QTest::newRow("US area code starting with 0")
        << u"+1 055 010 0000"_s << none << QString() << u"North American"_s;
    QTest::newRow("US number too long")
        << u"+1 555 010 00001"_s << none << QString() << u"North American"_s;
    QTest::newRow("0 after the country code")
        << u"+44 07700 900123"_s << none << QString() << u"0 after the country code 44"_s;
    QTest::newRow("16 digits") << u"+49 1234 5678 9012 34"_s << none << QString()
                               << u"at most 15"_s;
    QTest::newRow("too short") << u"+49 30 12"_s << none << QString() << u"looks incomplete"_s;
    QTest::newRow("vanity number")
        << u"1-800-FLOWERS"_s << u"1"_s << QString() << u"contains letters"_s;
    QTest::newRow("an e-mail address")
        << u"bob@example.com"_s << none << QString() << u"contains letters"_s;
    QTest::newRow("plus in the middle")
        << u"49+30123456"_s << none << QString() << u"contains '+'"_s;
    QTest::newRow("two plus signs") << u"++4930123456"_s << none << QString() << u"contains '+'"_s;
    QTest::newRow("two numbers") << u"+49 30 1234567; 030 7654321"_s << none << QString()
                                 << u"contains ';'"_s;
    QTest::newRow("unbalanced bracket")
        << u"+49 (30 1234567"_s << none << QString() << u"unbalanced brackets"_s;
    QTest::newRow("closing bracket only")
        << u"+49 30) 1234567"_s << none << QString() << u"unbalanced brackets"_s;
    QTest::newRow("unassigned code 28")
        << u"+28 1234 5678"_s << none << QString() << u"country calling code"_s;
    QTest::newRow("+0") << u"+0 30 1234567"_s << none << QString() << u"country calling code"_s;
    QTest::newRow("formatting only") << u"--"_s << none << QString() << u"no digits"_s;
    QTest::newRow("extension x") << u"+1 555 010 0000 x123"_s << none << QString()
                                 << u"extension"_s;
    QTest::newRow("extension ext.")
        << u"+49 30 1234567 ext. 12"_s << none << QString() << u"extension"_s;
    QTest::newRow("extension #") << u"+49 30 1234567 #12"_s << none << QString() << u"extension"_s;
}

void tst_ValueCoercion::phone()
{
    QFETCH(QString, value);
    QFETCH(QString, home);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    CoercionOptions options;
    options.defaultCallingCode = home;
    verify(ValueCoercion::toPhone(value, options), value, expected, error);
}

void tst_ValueCoercion::phoneParts_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("parts");

    QTest::newRow("+1") << u"+1 555 010 0000"_s << u"+15550100000"_s << u"callingCode=1"_s;
    QTest::newRow("two-digit code")
        << u"+49 30 1234567"_s << u"+49301234567"_s << u"callingCode=49"_s;
    QTest::newRow("three-digit code")
        << u"+971 50 123 4567"_s << u"+971501234567"_s << u"callingCode=971"_s;
    QTest::newRow("x123") << u"+1 555 010 0000 x123"_s << u"+15550100000"_s
                          << u"callingCode=1|extension=123"_s;
    QTest::newRow("ext. 12") << u"+49 30 1234567 ext. 12"_s << u"+49301234567"_s
                             << u"callingCode=49|extension=12"_s;
    QTest::newRow("Extension 7, comma")
        << u"+49 30 1234567, Extension 7"_s << u"+49301234567"_s << u"callingCode=49|extension=7"_s;
    QTest::newRow("RFC 3966 ;ext=")
        << u"+1-555-010-0000;ext=42"_s << u"+15550100000"_s << u"callingCode=1|extension=42"_s;
}

void tst_ValueCoercion::phoneParts()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QFETCH(QString, parts);
    CoercionOptions options;
    options.phoneExtension = Extension::Separate;
    const Result<Coerced> r = ValueCoercion::toPhone(value, options);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->value, expected);
    QCOMPARE(flatten(r->parts), parts);
}

void tst_ValueCoercion::address_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("parts");
    QTest::addColumn<QString>("error");

    QTest::newRow("six parts")
        << u"12 Harbour Rd  Suite 4  Portland  OR  97201  US"_s << 0
        << u"12 Harbour Rd, Suite 4, Portland, OR, 97201, US"_s
        << u"addr1=12 Harbour Rd|addr2=Suite 4|city=Portland|country=US|state=OR|zip=97201"_s
        << QString();
    QTest::newRow("empty second line as four spaces")
        << u"400 Elm St    Austin  TX  73301  US"_s << 0 << u"400 Elm St, Austin, TX, 73301, US"_s
        << u"addr1=400 Elm St|city=Austin|country=US|state=TX|zip=73301"_s << QString();
    QTest::newRow("second line left out (import form)")
        << u"1701 Bristol Ave.  Barrington  Rhode Island  02806  USA"_s << 0
        << u"1701 Bristol Ave., Barrington, Rhode Island, 02806, USA"_s
        << u"addr1=1701 Bristol Ave.|city=Barrington|country=USA|state=Rhode Island|zip=02806"_s
        << QString();
    QTest::newRow("three spaces are one separator")
        << u"1 Main St   Springfield  IL  62701  US"_s << 0
        << u"1 Main St, Springfield, IL, 62701, US"_s
        << u"addr1=1 Main St|city=Springfield|country=US|state=IL|zip=62701"_s << QString();
    QTest::newRow("empty state, German address")
        << u"Hauptstr. 5  Hinterhaus  Berlin    10115  DE"_s << 0
        << u"Hauptstr. 5, Hinterhaus, Berlin, 10115, DE"_s
        << u"addr1=Hauptstr. 5|addr2=Hinterhaus|city=Berlin|country=DE|zip=10115"_s << QString();
    QTest::newRow("empty country at the end counts")
        << u"1 Main St  Apt 2  Springfield  IL  62701  "_s << 0
        << u"1 Main St, Apt 2, Springfield, IL, 62701"_s
        << u"addr1=1 Main St|addr2=Apt 2|city=Springfield|state=IL|zip=62701"_s << QString();
    QTest::newRow("non-ASCII")
        << u"Rue de l\u2019\u00C9glise 3  \u00C9tage 2  Gen\u00E8ve  GE  1204  CH"_s << 0
        << u"Rue de l\u2019\u00C9glise 3, \u00C9tage 2, Gen\u00E8ve, GE, 1204, CH"_s
        << u"addr1=Rue de l\u2019\u00C9glise 3|addr2=\u00C9tage 2|city=Gen\u00E8ve|country=CH|state=GE|zip=1204"_s
        << QString();
    QTest::newRow("API object as JSON")
        << uR"({"addr1":"123 Main St","addr2":"","city":"Atlanta","state":"GA","zip":"30312","country":"US"})"_s
        << 0 << u"123 Main St, Atlanta, GA, 30312, US"_s
        << u"addr1=123 Main St|city=Atlanta|country=US|state=GA|zip=30312"_s << QString();
    QTest::newRow("API object with null")
        << uR"({"addr1":"1 A St","addr2":null,"city":"B"})"_s << 0 << u"1 A St, B"_s
        << u"addr1=1 A St|city=B"_s << QString();

    QTest::newRow("one line with commas")
        << u"12 Harbour Rd, Portland, OR 97201"_s << 0 << QString() << QString()
        << u"not in Mailchimp's address form"_s;
    QTest::newRow("four parts") << u"Hauptstr. 1  Berlin  10115  DE"_s << 0 << QString()
                                << QString() << u"has 4 parts, not 5 or 6"_s;
    QTest::newRow("seven parts") << u"a  b  c  d  e  f  g"_s << 0 << QString() << QString()
                                 << u"has 7 parts"_s;
    QTest::newRow("unknown key") << uR"({"street":"1 A St"})"_s << 0 << QString() << QString()
                                 << u"part 'street'"_s;
    QTest::newRow("zip as a number")
        << uR"({"zip":30312})"_s << 0 << QString() << QString() << u"part 'zip' is not text"_s;
    QTest::newRow("broken JSON") << u"{addr1: 1 A St"_s << 0 << QString() << QString()
                                 << u"neither an address object"_s;
    QTest::newRow("a part too long")
        << u"1 Main St  Apt 2  Springfield  IL  62701  US"_s << 10 << QString() << QString()
        << u"'Springfield' is 11 bytes long"_s;
}

void tst_ValueCoercion::address()
{
    QFETCH(QString, value);
    QFETCH(int, maxBytes);
    QFETCH(QString, expected);
    QFETCH(QString, parts);
    QFETCH(QString, error);
    CoercionOptions options;
    options.maxTextBytes = maxBytes;
    const Result<Coerced> r = ValueCoercion::toAddress(value, options);
    verify(r, value, expected, error);
    if (r.ok())
        QCOMPARE(flatten(r->parts), parts);
}

void tst_ValueCoercion::addressObject()
{
    const QJsonObject object{
        {u"addr1"_s, u" 9 Quay St "_s}, {u"city"_s, u"Cork"_s}, {u"country"_s, u"IE"_s}};
    const Result<Coerced> r = ValueCoercion::toAddress(object);
    QVERIFY(r.ok());
    QCOMPARE(r->value, u"9 Quay St, Cork, IE"_s);
    QCOMPARE(flatten(r->parts), u"addr1=9 Quay St|city=Cork|country=IE"_s);
    QVERIFY(ValueCoercion::toAddress(QJsonObject()).value().isEmpty());
}

void tst_ValueCoercion::text_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<int>("maxBytes");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    const QString a255(255, u'a');
    const QString e128 = QString(128, u'\u00E9'); // 128 characters, 256 bytes in UTF-8
    QTest::newRow("trimmed") << u"  Ann  "_s << 0 << u"Ann"_s << QString();
    QTest::newRow("NBSP trimmed") << u"\u00A0Ann\u00A0"_s << 0 << u"Ann"_s << QString();
    QTest::newRow("inner spaces kept") << u"Ann  Lee"_s << 0 << u"Ann  Lee"_s << QString();
    QTest::newRow("CRLF") << u"line 1\r\nline 2"_s << 0 << u"line 1\nline 2"_s << QString();
    QTest::newRow("CR") << u"line 1\rline 2\r"_s << 0 << u"line 1\nline 2"_s << QString();
    QTest::newRow("255 bytes fit Mailchimp")
        << a255 << ValueCoercion::kMailchimpTextBytes << a255 << QString();
    QTest::newRow("256 bytes do not")
        << a255 + u'a' << ValueCoercion::kMailchimpTextBytes << QString()
        << u"is 256 bytes long; the target field holds 255"_s;
    QTest::newRow("128 characters, 256 bytes")
        << e128 << 255 << QString() << u"is 256 bytes long"_s;
    QTest::newRow("emoji count as four bytes")
        << u"\U0001F600\U0001F600"_s << 7 << QString() << u"is 8 bytes long"_s;
    QTest::newRow("no limit") << QString(1000, u'x') << 0 << QString(1000, u'x') << QString();
}

void tst_ValueCoercion::text()
{
    QFETCH(QString, value);
    QFETCH(int, maxBytes);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    CoercionOptions options;
    options.maxTextBytes = maxBytes;
    verify(ValueCoercion::toText(value, options), value, expected, error);
}

void tst_ValueCoercion::url_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    QTest::newRow("https") << u" https://leebakery.example.com "_s
                           << u"https://leebakery.example.com"_s << QString();
    QTest::newRow("no scheme is kept as written")
        << u"www.nguyen-imports.example"_s << u"www.nguyen-imports.example"_s << QString();
    QTest::newRow("space inside") << u"https://example.com/a b"_s << QString()
                                  << u"contains white space"_s;
    QTest::newRow("two URLs on two lines")
        << u"https://a.example\nhttps://b.example"_s << QString() << u"contains white space"_s;
}

void tst_ValueCoercion::url()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    verify(ValueCoercion::toUrl(value), value, expected, error);
}

void tst_ValueCoercion::boolean_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");
    QTest::addColumn<QString>("error");

    QTest::newRow("TRUE") << u"TRUE"_s << u"true"_s << QString();
    QTest::newRow("yes") << u"Yes"_s << u"true"_s << QString();
    QTest::newRow("1") << u"1"_s << u"true"_s << QString();
    QTest::newRow("false, spaced") << u" false "_s << u"false"_s << QString();
    QTest::newRow("no") << u"NO"_s << u"false"_s << QString();
    QTest::newRow("0") << u"0"_s << u"false"_s << QString();
    QTest::newRow("maybe") << u"maybe"_s << QString() << u"'maybe' is not yes or no"_s;
    QTest::newRow("2") << u"2"_s << QString() << u"not yes or no"_s;
    QTest::newRow("ja (not read)") << u"ja"_s << QString() << u"not yes or no"_s;
}

void tst_ValueCoercion::boolean()
{
    QFETCH(QString, value);
    QFETCH(QString, expected);
    QFETCH(QString, error);
    verify(ValueCoercion::toBoolean(value), value, expected, error);
}

void tst_ValueCoercion::emptyIsNoValue_data()
{
    QTest::addColumn<FieldType>("type");
    QTest::addColumn<QString>("value");

    for (const FieldType type :
         {FieldType::Text, FieldType::Number, FieldType::Date, FieldType::Birthday,
          FieldType::Phone, FieldType::Url, FieldType::Address, FieldType::Tags}) {
        const QByteArray key = FieldTypes::key(type).toUtf8();
        QTest::addRow("%s empty", key.constData()) << type << QString();
        QTest::addRow("%s spaces", key.constData()) << type << u"   "_s;
        QTest::addRow("%s NBSP and tab", key.constData()) << type << u"\u00A0\t"_s;
    }
}

void tst_ValueCoercion::emptyIsNoValue()
{
    QFETCH(FieldType, type);
    QFETCH(QString, value);
    // Strict options, under which any value would have to qualify.
    CoercionOptions options;
    options.birthdayPolicy = Birthday::Reject;
    options.dateOutput = CoercionOptions::DateOutput::DateTimeUtc;
    options.naiveTimeZone = QTimeZone();
    options.maxTextBytes = 1;
    const Result<Coerced> r = ValueCoercion::coerce(value, type, options);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QVERIFY(r->isEmpty());
    QVERIFY(ValueCoercion::toBoolean(value).value().isEmpty());
}

void tst_ValueCoercion::coerceByType_data()
{
    QTest::addColumn<FieldType>("type");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("expected");

    QTest::newRow("text") << FieldType::Text << u" Lee Bakery, LLC "_s << u"Lee Bakery, LLC"_s;
    QTest::newRow("number") << FieldType::Number << u"1,234.50"_s << u"1234.5"_s;
    QTest::newRow("date") << FieldType::Date << u"01/02/2024"_s << u"2024-01-02"_s;
    QTest::newRow("birthday") << FieldType::Birthday << u"03/14"_s << u"--03-14"_s;
    QTest::newRow("phone") << FieldType::Phone << u"(555) 010-0000"_s << u"+15550100000"_s;
    QTest::newRow("url") << FieldType::Url << u"https://leebakery.example.com"_s
                         << u"https://leebakery.example.com"_s;
    QTest::newRow("address") << FieldType::Address << u"400 Elm St    Austin  TX  73301  US"_s
                             << u"400 Elm St, Austin, TX, 73301, US"_s;
    QTest::newRow("tags stay whole")
        << FieldType::Tags << u"\"VIP\",\"Spring 2024\""_s << u"\"VIP\",\"Spring 2024\""_s;
}

void tst_ValueCoercion::coerceByType()
{
    QFETCH(FieldType, type);
    QFETCH(QString, value);
    QFETCH(QString, expected);
    CoercionOptions options; // a US Mailchimp audience
    options.dateOrder = Order::MonthFirst;
    options.defaultCallingCode = u"1"_s;
    verify(ValueCoercion::coerce(value, type, options), value, expected, QString());
}

void tst_ValueCoercion::yearFirstDateAsTheExpressionReadsIt()
{
    // The expression the hand-written reading replaced, on chosen and on random texts.
    static const QRegularExpression yearFirst(
        u"^([0-9]{4})([-/.])([0-9]{1,2})\\2([0-9]{1,2})(?![0-9])"_s);
    QStringList texts = {u""_s, u"2024"_s, u"2024-"_s, u"2024-1"_s, u"2024-1-"_s, u"2024-1-2"_s,
                         u"2024-01-02"_s, u"2024-01-02T10:00"_s, u"2024/1/02 x"_s,
                         u"2024.12.31"_s, u"2024-12/31"_s, u"2024-123-1"_s, u"2024-12-123"_s,
                         u"2024-12-1a"_s, u"20245-01-02"_s, u"202-01-02"_s, u"2024--02"_s,
                         u"2024-01--"_s, u"2024-0-0"_s, u"0000-00-00"_s, u"9999-99-99 9"_s,
                         u"\u0662024-01-02"_s, u"2024\u201001\u201002"_s};
    QRandomGenerator random(20261124);
    const QString alphabet = u"0123456789-/.: T"_s;
    for (int i = 0; i < 200000; ++i) {
        QString t;
        const int length = int(random.bounded(14));
        for (int c = 0; c < length; ++c)
            t += alphabet.at(random.bounded(int(alphabet.size())));
        if (random.bounded(2))
            t = u"2024"_s + t; // most of them start like a year
        texts.append(t);
    }
    for (const QString &t : std::as_const(texts)) {
        int year = -1;
        int month = -1;
        int day = -1;
        qsizetype end = -1;
        const bool read = ValueCoercion::Detail::yearFirstDate(t, &year, &month, &day, &end);
        const QRegularExpressionMatch m = yearFirst.match(t);
        QVERIFY2(read == m.hasMatch(), qPrintable(t));
        if (!read)
            continue;
        QCOMPARE(year, m.capturedView(1).toInt());
        QCOMPARE(month, m.capturedView(3).toInt());
        QCOMPARE(day, m.capturedView(4).toInt());
        QCOMPARE(end, m.capturedEnd(0));
    }
}

void tst_ValueCoercion::isoDateAsQtWritesIt()
{
    QList<QDate> dates = {QDate(1, 1, 1), QDate(9999, 12, 31), QDate(2024, 2, 29),
                          QDate(1900, 1, 1), QDate(2000, 10, 9), QDate(999, 9, 9),
                          QDate(10000, 1, 1), QDate(0, 1, 1), QDate(-5, 3, 3)};
    QRandomGenerator random(7);
    for (int i = 0; i < 100000; ++i)
        dates.append(QDate(1, 1, 1).addDays(random.bounded(3652059)));
    for (const QDate &d : std::as_const(dates))
        QCOMPARE(ValueCoercion::Detail::isoDate(d.year(), d.month(), d.day()), d.toString(Qt::ISODate));
    QCOMPARE(ValueCoercion::Detail::isoDate(2023, 2, 29), QString()); // no such day
}

QTEST_GUILESS_MAIN(tst_ValueCoercion)
#include "tst_valuecoercion.moc"
