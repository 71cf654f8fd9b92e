#include "contacts/emailaddress.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_EmailAddress : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void isValid_data();
    void isValid();
    void normalized_data();
    void normalized();
    void trimmed_data();
    void trimmed();
};

void tst_EmailAddress::isValid_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<QString>("problem"); // empty: valid

    const QString ok;
    const QString localChars = u"a character that is not allowed before the @ sign"_s;
    const QString localDots
        = u"a dot at the start or end, or two dots in a row, before the @ sign"_s;
    const QString domainLabel = u"an empty, over-long or hyphen-edged part in the domain"_s;

    QTest::newRow("plain") << QByteArray("john@example.com") << ok;
    QTest::newRow("dots in the local part") << QByteArray("john.q.public@example.com") << ok;
    QTest::newRow("plus addressing") << QByteArray("john+newsletter@example.com") << ok;
    QTest::newRow("subdomains") << QByteArray("john@mail.eu.example.co.uk") << ok;
    QTest::newRow("hyphen and digits in the domain") << QByteArray("john@my-shop24.example") << ok;
    QTest::newRow("upper case") << QByteArray("John.Doe@Example.COM") << ok;
    QTest::newRow("all RFC 5322 atext")
        << QByteArray("o'brien!#$%&*+-/=?^_`{|}~@example.com") << ok;
    QTest::newRow("IDN domain in UTF-8") << QByteArray("jurgen@bücher.de") << ok;
    QTest::newRow("IDN domain, CJK") << QByteArray("info@例え.テスト") << ok;
    QTest::newRow("UTF-8 local part") << QByteArray("élodie@exemple.fr") << ok;
    QTest::newRow("punycode domain") << QByteArray("jurgen@xn--bcher-kva.de") << ok;
    QTest::newRow("quoted local part with a space") << QByteArray("\"john doe\"@example.com") << ok;
    QTest::newRow("quoted local part with an @") << QByteArray("\"john@home\"@example.com") << ok;
    QTest::newRow("quoted local part with an escaped quote")
        << QByteArray("\"a\\\"b\"@example.com") << ok;
    QTest::newRow("quoted local part with dots at the ends")
        << QByteArray("\".john.\"@example.com") << ok;
    QTest::newRow("no-break space inside the local part")
        << QByteArray("john\xC2\xA0" "doe@example.com") << localChars;
    QTest::newRow("no-break space inside the domain")
        << QByteArray("john@exa\xC2\xA0mple.com") << u"a character that is not allowed in the domain"_s;
    QTest::newRow("invalid UTF-8 in the local part") << QByteArray("j\xE9r\xF4me@example.com") << localChars;
    QTest::newRow("invalid UTF-8 in the domain")
        << QByteArray("jerome@caf\xE9.fr") << u"a character that is not allowed in the domain"_s;
    QTest::newRow("surrounding spaces are trimmed") << QByteArray("  john@example.com\t ") << ok;
    QTest::newRow("surrounding line ends are trimmed") << QByteArray("john@example.com\r\n") << ok;
    QTest::newRow("surrounding no-break spaces are trimmed")
        << QByteArray("\xc2\xa0john@example.com\xc2\xa0\xc2\xa0") << ok;
    QTest::newRow("no-break space and space mixed")
        << QByteArray(" \xc2\xa0 john@example.com \xc2\xa0") << ok;

    QTest::newRow("empty") << QByteArray() << u"no address"_s;
    QTest::newRow("only spaces") << QByteArray(" \t\xc2\xa0 ") << u"no address"_s;
    QTest::newRow("missing @") << QByteArray("john.example.com") << u"no @ sign"_s;
    QTest::newRow("two @") << QByteArray("john@doe@example.com") << u"more than one @ sign"_s;
    QTest::newRow("nothing before @")
        << QByteArray("@example.com") << u"nothing before the @ sign"_s;
    QTest::newRow("nothing after @") << QByteArray("john@") << u"no domain after the @ sign"_s;
    QTest::newRow("leading dot") << QByteArray(".john@example.com") << localDots;
    QTest::newRow("trailing dot") << QByteArray("john.@example.com") << localDots;
    QTest::newRow("double dot") << QByteArray("john..doe@example.com") << localDots;
    QTest::newRow("space inside the local part")
        << QByteArray("john doe@example.com") << localChars;
    QTest::newRow("comma in the local part") << QByteArray("john,doe@example.com") << localChars;
    QTest::newRow("unbalanced quote") << QByteArray("\"john@example.com") << localChars;
    QTest::newRow("quote inside a quoted local part")
        << QByteArray("\"a\"b\"@example.com") << localChars;
    QTest::newRow("quoted local part that never closes (escaped closing quote)")
        << QByteArray("\"john\\\"@example.com") << localChars;
    QTest::newRow("space inside the domain")
        << QByteArray("john@exam ple.com") << u"a character that is not allowed in the domain"_s;
    QTest::newRow("underscore in the domain")
        << QByteArray("john@my_shop.com") << u"a character that is not allowed in the domain"_s;
    QTest::newRow("IP literal") << QByteArray("john@[192.168.1.1]")
                                << u"a character that is not allowed in the domain"_s;
    QTest::newRow("no dot in the domain")
        << QByteArray("john@localhost") << u"the domain has no dot"_s;
    QTest::newRow("domain starts with a dot") << QByteArray("john@.example.com") << domainLabel;
    QTest::newRow("domain ends with a dot") << QByteArray("john@example.com.") << domainLabel;
    QTest::newRow("two dots in the domain") << QByteArray("john@example..com") << domainLabel;
    QTest::newRow("label starts with a hyphen") << QByteArray("john@-example.com") << domainLabel;
    QTest::newRow("label ends with a hyphen") << QByteArray("john@example-.com") << domainLabel;
    QTest::newRow("top-level label starts with a hyphen")
        << QByteArray("john@example.-com") << domainLabel;
    QTest::newRow("numeric top-level domain")
        << QByteArray("john@example.123") << u"the domain ends in a number"_s;
    QTest::newRow("IPv4 address as the domain")
        << QByteArray("john@192.168.1.1") << u"the domain ends in a number"_s;
    QTest::newRow("space before the @") << QByteArray("john @example.com") << localChars;

    // Length limits: 64 bytes before the @, 63 per domain label, 254 in all.
    const QByteArray local64(64, 'a');
    QTest::newRow("64-byte local part") << local64 + "@example.com" << ok;
    QTest::newRow("65-byte local part")
        << QByteArray(65, 'a') + "@example.com"
        << u"the part before the @ sign is longer than 64 characters"_s;
    QTest::newRow("63-byte label") << "john@" + QByteArray(63, 'b') + ".com" << ok;
    QTest::newRow("64-byte label") << "john@" + QByteArray(64, 'b') + ".com" << domainLabel;
    // 64 + 1 + (63 + 1 + 63 + 1 + 57 + 4) = 254
    const QByteArray domain189
        = QByteArray(63, 'b') + '.' + QByteArray(63, 'c') + '.' + QByteArray(57, 'd') + ".com";
    QTest::newRow("254 bytes in all") << local64 + '@' + domain189 << ok;
    QTest::newRow("255 bytes in all")
        << local64 + "@x" + domain189 << u"the address is longer than 254 characters"_s;
    QTest::newRow("254 bytes once trimmed") << "  " + local64 + '@' + domain189 + "\xc2\xa0" << ok;
}

void tst_EmailAddress::isValid()
{
    QFETCH(QByteArray, address);
    QFETCH(QString, problem);

    QCOMPARE(EmailAddress::isValid(address), problem.isEmpty());
    QCOMPARE(EmailAddress::problem(address), problem);
}

void tst_EmailAddress::normalized_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<QByteArray>("normalized");

    QTest::newRow("already normal")
        << QByteArray("john@example.com") << QByteArray("john@example.com");
    QTest::newRow("ASCII upper case")
        << QByteArray("John.Doe@Example.COM") << QByteArray("john.doe@example.com");
    QTest::newRow("surrounding spaces") << QByteArray("  Ann@X.org\t") << QByteArray("ann@x.org");
    QTest::newRow("no-break spaces") << QByteArray("\xc2\xa0"
                                                   "Ann@X.org\xc2\xa0")
                                     << QByteArray("ann@x.org");
    QTest::newRow("non-ASCII upper case")
        << QByteArray("ÉLodie@Exemple.FR") << QByteArray("élodie@exemple.fr");
    // The domain in its ASCII (IDNA) form, so that both spellings of it are one address.
    QTest::newRow("non-ASCII domain")
        << QByteArray("Jurgen@BÜCHER.DE") << QByteArray("jurgen@xn--bcher-kva.de");
    QTest::newRow("ACE domain as written") << QByteArray("Jurgen@XN--BCHER-KVA.DE") << QByteArray("jurgen@xn--bcher-kva.de");
    QTest::newRow("Greek") << QByteArray(" ΣΟΦΙΑ@Παράδειγμα.GR ")
                           << QByteArray("σοφια@xn--hxajbheg2az3al.gr");
    // NFD (e + combining acute) and NFC are one address.
    QTest::newRow("NFD local part") << QByteArray("rene\xCC\x81@example.com") << QByteArray("ren\xC3\xA9@example.com");
    QTest::newRow("symbols untouched")
        << QByteArray("A+B_C@X-Y.COM") << QByteArray("a+b_c@x-y.com");
    QTest::newRow("empty") << QByteArray("  ") << QByteArray();
}

void tst_EmailAddress::normalized()
{
    QFETCH(QByteArray, address);
    QFETCH(QByteArray, normalized);
    QCOMPARE(QByteArray::fromStdString(EmailAddress::normalized(address)), normalized);
}

void tst_EmailAddress::trimmed_data()
{
    QTest::addColumn<QByteArray>("address");
    QTest::addColumn<QByteArray>("trimmed");

    QTest::newRow("nothing to trim") << QByteArray("a@b.c") << QByteArray("a@b.c");
    QTest::newRow("spaces and tabs") << QByteArray(" \t a@b.c \t ") << QByteArray("a@b.c");
    QTest::newRow("no-break spaces") << QByteArray("\xc2\xa0"
                                                   "a@b.c\xc2\xa0")
                                     << QByteArray("a@b.c");
    QTest::newRow("only a no-break space") << QByteArray("\xc2\xa0") << QByteArray();
    QTest::newRow("inner spaces kept") << QByteArray(" a b ") << QByteArray("a b");
    // "à" is C3 A0: its last byte is not a no-break space.
    QTest::newRow("letter ending in A0 kept") << QByteArray("voilà") << QByteArray("voilà");
}

void tst_EmailAddress::trimmed()
{
    QFETCH(QByteArray, address);
    QFETCH(QByteArray, trimmed);
    QCOMPARE(EmailAddress::trimmed(address).toByteArray(), trimmed);
}

QTEST_GUILESS_MAIN(tst_EmailAddress)
#include "tst_emailaddress.moc"
