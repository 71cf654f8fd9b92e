#include "assessment/fieldtypeinference.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_FieldTypeInference : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isNumber_data();
    void isNumber();
    void isDate_data();
    void isDate();
    void isBirthday_data();
    void isBirthday();
    void isPhone_data();
    void isPhone();
    void isUrl_data();
    void isUrl();
    void isAddress_data();
    void isAddress();
    void result_data();
    void result();
};

void tst_FieldTypeInference::isNumber_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("number");

    QTest::newRow("zero") << QByteArray("0") << true;
    QTest::newRow("integer") << QByteArray("42") << true;
    QTest::newRow("negative") << QByteArray("-42") << true;
    QTest::newRow("explicit plus") << QByteArray("+42") << true;
    QTest::newRow("decimal") << QByteArray("3.14") << true;
    QTest::newRow("zero point five") << QByteArray("0.5") << true;
    QTest::newRow("negative zero point five") << QByteArray("-0.5") << true;
    QTest::newRow("no integer part") << QByteArray(".5") << true;
    QTest::newRow("large") << QByteArray("1234567890") << true;

    QTest::newRow("leading-zero code") << QByteArray("02134") << false;
    QTest::newRow("leading-zero id") << QByteArray("007") << false;
    QTest::newRow("signed leading-zero code") << QByteArray("-02134") << false;
    QTest::newRow("zeros before the point") << QByteArray("00.5") << false;
    QTest::newRow("empty") << QByteArray() << false;
    QTest::newRow("sign only") << QByteArray("-") << false;
    QTest::newRow("point only") << QByteArray(".") << false;
    QTest::newRow("two points") << QByteArray("1.2.3") << false;
    QTest::newRow("thousands separator") << QByteArray("1,000") << false;
    QTest::newRow("exponent") << QByteArray("1e5") << false;
    QTest::newRow("unit") << QByteArray("12kg") << false;
    QTest::newRow("inner space") << QByteArray("1 000") << false;
}

void tst_FieldTypeInference::isNumber()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, number);
    QCOMPARE(FieldTypeInference::isNumber(value), number);
}

void tst_FieldTypeInference::isDate_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("date");

    QTest::newRow("ISO date") << QByteArray("2024-05-17") << true;
    QTest::newRow("ISO date and time (Mailchimp)") << QByteArray("2024-05-17 13:45:00") << true;
    QTest::newRow("ISO, UTC") << QByteArray("2024-05-17T13:45:00Z") << true;
    QTest::newRow("ISO, offset") << QByteArray("2024-05-17T13:45:00+02:00") << true;
    QTest::newRow("ISO, negative offset without colon")
        << QByteArray("2024-05-17T13:45:00-0500") << true;
    QTest::newRow("ISO, fractions") << QByteArray("2024-05-17T13:45:00.123Z") << true;
    QTest::newRow("ISO, minutes only") << QByteArray("2024-05-17 13:45") << true;
    QTest::newRow("ISO with slashes") << QByteArray("2024/05/17") << true;
    QTest::newRow("US") << QByteArray("05/17/2024") << true;
    QTest::newRow("US, short parts") << QByteArray("5/7/2024") << true;
    QTest::newRow("US with time and PM") << QByteArray("5/17/2024 1:45 PM") << true;
    QTest::newRow("European with dots") << QByteArray("17.05.2024") << true;
    QTest::newRow("European with slashes") << QByteArray("17/05/2024") << true;
    QTest::newRow("UTC suffix") << QByteArray("2024-05-17 13:45:00 UTC") << true;

    QTest::newRow("month 13") << QByteArray("2024-13-01") << false;
    QTest::newRow("month 0") << QByteArray("2024-00-10") << false;
    QTest::newRow("day 32") << QByteArray("2024-05-32") << false;
    QTest::newRow("neither part a month") << QByteArray("13/13/2024") << false;
    QTest::newRow("hour 25") << QByteArray("2024-05-17T25:00") << false;
    QTest::newRow("minute 60") << QByteArray("2024-05-17 13:60") << false;
    QTest::newRow("unknown zone name") << QByteArray("2024-05-17 13:45:00 CEST") << false;
    QTest::newRow("mixed separators") << QByteArray("2024/05-17") << false;
    QTest::newRow("no separators") << QByteArray("20240517") << false;
    QTest::newRow("two-digit year") << QByteArray("17.05.24") << false;
    QTest::newRow("year and month") << QByteArray("2024-05") << false;
    QTest::newRow("month name") << QByteArray("May 17, 2024") << false;
    QTest::newRow("trailing text") << QByteArray("2024-05-17x") << false;
    QTest::newRow("five-digit day part") << QByteArray("2024-05-17999") << false;
    QTest::newRow("version number") << QByteArray("1.2.3") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_FieldTypeInference::isDate()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, date);
    QCOMPARE(FieldTypeInference::isDate(value), date);
}

void tst_FieldTypeInference::isBirthday_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("birthday");

    QTest::newRow("MM/DD (Mailchimp)") << QByteArray("05/17") << true;
    QTest::newRow("ISO without year") << QByteArray("--05-17") << true;
    QTest::newRow("short parts") << QByteArray("5/7") << true;
    QTest::newRow("DD/MM") << QByteArray("17/05") << true;
    QTest::newRow("MM-DD") << QByteArray("12-31") << true;

    QTest::newRow("neither part a month") << QByteArray("13/13") << false;
    QTest::newRow("month 0") << QByteArray("00/10") << false;
    QTest::newRow("full date") << QByteArray("05/17/2024") << false;
    QTest::newRow("year and month") << QByteArray("2024-05") << false;
    QTest::newRow("dots") << QByteArray("05.17") << false;
    QTest::newRow("ISO without the dash") << QByteArray("--0517") << false;
    QTest::newRow("missing day") << QByteArray("05/") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_FieldTypeInference::isBirthday()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, birthday);
    QCOMPARE(FieldTypeInference::isBirthday(value), birthday);
}

void tst_FieldTypeInference::isPhone_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("phone");
    QTest::addColumn<bool>("formatted");

    QTest::newRow("French, international") << QByteArray("+33 6 12 34 56 78") << true << true;
    QTest::newRow("US with brackets") << QByteArray("(555) 123-4567") << true << true;
    QTest::newRow("US with dashes") << QByteArray("555-123-4567") << true << true;
    QTest::newRow("US with dots") << QByteArray("555.123.4567") << true << true;
    QTest::newRow("E.164") << QByteArray("+33612345678") << true << true;
    QTest::newRow("German with slash") << QByteArray("030/1234567") << true << true;
    QTest::newRow("bare national number") << QByteArray("0612345678") << true << false;
    QTest::newRow("seven digits") << QByteArray("1234567") << true << false;
    QTest::newRow("fifteen digits") << QByteArray("123456789012345") << true << false;

    QTest::newRow("six digits") << QByteArray("123456") << false << false;
    QTest::newRow("sixteen digits") << QByteArray("1234567890123456") << false << false;
    QTest::newRow("letters") << QByteArray("555 CALL NOW") << false << false;
    QTest::newRow("extension") << QByteArray("555-1234 ext 5") << false << false;
    QTest::newRow("plus in the middle") << QByteArray("12+34567") << false << false;
    QTest::newRow("empty") << QByteArray() << false << false;
    // Numbers are not phone numbers, however many digits they have.
    QTest::newRow("negative decimal") << QByteArray("-2.3522219") << false << false;
    QTest::newRow("IPv4 address") << QByteArray("192.168.100.200") << false << false;
}

void tst_FieldTypeInference::isPhone()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, phone);
    QFETCH(bool, formatted);
    bool wasFormatted = false;
    QCOMPARE(FieldTypeInference::isPhone(value, &wasFormatted), phone);
    if (phone)
        QCOMPARE(wasFormatted, formatted);
    QCOMPARE(FieldTypeInference::isPhone(value), phone);
}

void tst_FieldTypeInference::isUrl_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("url");

    QTest::newRow("https") << QByteArray("https://example.com") << true;
    QTest::newRow("http with path and query") << QByteArray("http://x.io/a?b=c&d=e") << true;
    QTest::newRow("upper-case scheme") << QByteArray("HTTPS://EXAMPLE.COM") << true;
    QTest::newRow("www") << QByteArray("www.example.com") << true;

    QTest::newRow("bare domain") << QByteArray("example.com") << false;
    QTest::newRow("scheme only") << QByteArray("https://") << false;
    QTest::newRow("www only") << QByteArray("www.") << false;
    QTest::newRow("ftp") << QByteArray("ftp://example.com") << false;
    QTest::newRow("mailto") << QByteArray("mailto:ann@example.com") << false;
    QTest::newRow("space inside") << QByteArray("https://exa mple.com") << false;
    QTest::newRow("sentence starting with a URL")
        << QByteArray("www.example.com is our site") << false;
}

void tst_FieldTypeInference::isUrl()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, url);
    QCOMPARE(FieldTypeInference::isUrl(value), url);
}

void tst_FieldTypeInference::isAddress_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<bool>("address");

    QTest::newRow("Mailchimp address")
        << QByteArray("1 Main St  Apt 2  Springfield  IL  62701  US") << true;
    QTest::newRow("Mailchimp address without line 2")
        << QByteArray("1 Main St    Springfield  IL  62701  US") << true;
    QTest::newRow("three parts") << QByteArray("10 Rue de Rivoli  Paris  75001") << true;

    QTest::newRow("comma separated") << QByteArray("1 Main St, Springfield, IL 62701") << false;
    QTest::newRow("one separator") << QByteArray("1 Main St  Springfield") << false;
    QTest::newRow("single spaces") << QByteArray("1 Main St Springfield IL") << false;
    QTest::newRow("empty") << QByteArray() << false;
}

void tst_FieldTypeInference::isAddress()
{
    QFETCH(QByteArray, value);
    QFETCH(bool, address);
    QCOMPARE(FieldTypeInference::isAddress(value), address);
}

void tst_FieldTypeInference::result_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QByteArrayList>("values");
    QTest::addColumn<QString>("type"); // FieldTypes::key

    QTest::newRow("empty column") << u"Notes"_s << QByteArrayList{} << u"text"_s;
    QTest::newRow("text") << u"Company"_s << QByteArrayList{"ACME", "Initech"} << u"text"_s;

    QTest::newRow("numbers") << u"Score"_s << QByteArrayList{"1", "2.5", "-3"} << u"number"_s;
    QTest::newRow("one value is not a number")
        << u"Score"_s << QByteArrayList{"1", "2", "n/a"} << u"text"_s;
    QTest::newRow("zip codes with leading zeros")
        << u"Zip"_s << QByteArrayList{"02134", "10001"} << u"text"_s;
    QTest::newRow("coordinates") << u"Latitude"_s << QByteArrayList{"48.8566140", "-2.3522219"}
                                 << u"number"_s;
    QTest::newRow("amounts") << u"Lifetime value"_s << QByteArrayList{"1234567.89", "2345678.10"}
                             << u"number"_s;

    QTest::newRow("dates") << u"Signup"_s
                           << QByteArrayList{"2024-05-17", "2024-05-17 13:45:00", "05/17/2024"}
                           << u"date"_s;
    QTest::newRow("a value that is not a date")
        << u"Signup"_s << QByteArrayList{"2024-05-17", "soon"} << u"text"_s;
    QTest::newRow("birthdays") << u"Anniversary"_s << QByteArrayList{"05/17", "12/31", "--02-29"}
                               << u"birthday"_s;
    QTest::newRow("birthday column with full dates")
        << u"Birthday"_s << QByteArrayList{"1990-05-17", "1985-12-31"} << u"birthday"_s;
    QTest::newRow("date of birth with full dates")
        << u"Date of birth"_s << QByteArrayList{"17.05.1990"} << u"birthday"_s;

    QTest::newRow("formatted phones")
        << u"Contact"_s << QByteArrayList{"+33 6 12 34 56 78", "(555) 123-4567", "0612345678"}
        << u"phone"_s;
    QTest::newRow("national numbers with a leading zero")
        << u"Ref"_s << QByteArrayList{"0612345678", "0712345678"} << u"phone"_s;
    QTest::newRow("ten digits: a number")
        << u"Ref"_s << QByteArrayList{"5551234567", "5559876543"} << u"number"_s;
    QTest::newRow("ten digits in a Mobile column")
        << u"Mobile"_s << QByteArrayList{"5551234567", "5559876543"} << u"phone"_s;
    QTest::newRow("ten digits in an SMS column")
        << u"SMS"_s << QByteArrayList{"5551234567"} << u"phone"_s;
    QTest::newRow("ten digits in a Tel. column")
        << u"Tel."_s << QByteArrayList{"5551234567"} << u"phone"_s;
    QTest::newRow("ten digits, one with dashes")
        << u"Ref"_s << QByteArrayList{"5551234567", "555-987-6543"} << u"phone"_s;
    // "+33612345678" is also a valid number: the leading + is what makes it a phone.
    QTest::newRow("E.164 numbers: formatting breaks the tie")
        << u"Ref"_s << QByteArrayList{"+33612345678", "+14155550123"} << u"phone"_s;
    QTest::newRow("a hotel is not a phone")
        << u"Hotel"_s << QByteArrayList{"5551234567"} << u"number"_s;
    QTest::newRow("one value too short for a phone")
        << u"Phone"_s << QByteArrayList{"5551234567", "12345"} << u"number"_s;
    QTest::newRow("IP addresses") << u"IP"_s << QByteArrayList{"192.168.100.200", "172.16.254.101"}
                                  << u"text"_s;

    QTest::newRow("URLs") << u"Website"_s
                          << QByteArrayList{"https://example.com", "www.example.org"} << u"url"_s;
    QTest::newRow("Mailchimp addresses")
        << u"Address"_s << QByteArrayList{"1 Main St  Apt 2  Springfield  IL  62701  US"}
        << u"address"_s;
    QTest::newRow("addresses recognised by their values")
        << u"Where"_s << QByteArrayList{"10 Rue de Rivoli  Paris  75001"} << u"address"_s;
    QTest::newRow("address column with plain values")
        << u"Street address"_s << QByteArrayList{"1 Main St, Springfield"} << u"address"_s;
    QTest::newRow("empty address column") << u"Address"_s << QByteArrayList{} << u"address"_s;
    QTest::newRow("shipping address")
        << u"Shipping Address"_s << QByteArrayList{"1 Main St, Springfield"} << u"address"_s;
    QTest::newRow("email address is not a postal address")
        << u"Email Address"_s << QByteArrayList{"ann@example.com"} << u"text"_s;
    QTest::newRow("IP address is not a postal address")
        << u"IP Address"_s << QByteArrayList{"2001:db8::1"} << u"text"_s;
    QTest::newRow("OPTIN_IP address column")
        << u"ip_address"_s << QByteArrayList{"2001:db8::1"} << u"text"_s;
}

void tst_FieldTypeInference::result()
{
    QFETCH(QString, column);
    QFETCH(QByteArrayList, values);
    QFETCH(QString, type);

    FieldTypeInference inference(column);
    for (const QByteArray &v : std::as_const(values))
        inference.add(v);
    QCOMPARE(FieldTypes::key(inference.result()), type);
}

QTEST_GUILESS_MAIN(tst_FieldTypeInference)
#include "tst_fieldtypeinference.moc"
