// BackupLineParser (simdjson) against the reading it replaces: QJsonDocument::fromJson and
// BackupFormat::contactFromJson. Every line either gives exactly the same contact or error, or is
// handed back (nullopt) to be read the old way.
#include "transfer/backupformat.h"
#include "transfer/backuplineparser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

/// What the stages read before: QJsonDocument, then contactFromJson.
std::optional<Result<SourceContact>> readTheOldWay(const QByteArray &line)
{
    const QJsonDocument doc = QJsonDocument::fromJson(line);
    if (!doc.isObject())
        return std::nullopt;
    return BackupFormat::contactFromJson(doc.object());
}

QString describeTime(const QDateTime &t)
{
    return t.isValid() ? u"%1 (spec %2)"_s.arg(t.toString(Qt::ISODateWithMs)).arg(int(t.timeSpec()))
                       : u"invalid"_s;
}

/// Every member of a contact, as text: two contacts are the same when these are.
QStringList describe(const SourceContact &c)
{
    QStringList fields;
    for (auto it = c.fields.begin(); it != c.fields.end(); ++it)
        fields.append(it.key() + u'=' + it.value());
    fields.sort();
    const auto number = [](const std::optional<double> &d) {
        return d ? QString::number(*d, 'g', 17) : u"none"_s;
    };
    return {u"id "_s + c.id,
            u"email "_s + c.email,
            u"status "_s + ContactStatuses::key(c.status),
            u"platformStatus "_s + c.platformStatus,
            u"fields "_s + fields.join(u'|'),
            u"tags "_s + c.tags.join(u'|') + u" (%1)"_s.arg(c.tags.size()),
            u"optinTime "_s + describeTime(c.consent.optinTime),
            u"optinIp "_s + c.consent.optinIp,
            u"confirmTime "_s + describeTime(c.consent.confirmTime),
            u"confirmIp "_s + c.consent.confirmIp,
            u"suppressionTime "_s + describeTime(c.consent.suppressionTime),
            u"suppressionReason "_s + c.consent.suppressionReason,
            u"language "_s + c.language,
            u"location "_s + c.location.countryCode + u'/' + c.location.region + u'/'
                + c.location.timezone + u'/' + number(c.location.latitude) + u'/'
                + number(c.location.longitude),
            u"rating %1"_s.arg(c.rating),
            u"lastChanged "_s + describeTime(c.lastChanged)};
}

SourceContact fullContact()
{
    SourceContact c;
    c.id = u"a1b2c3"_s;
    c.email = u"Zoë.Ünïcode+tag@Example.com"_s;
    c.status = ContactStatus::Unsubscribed;
    c.platformStatus = u"unsubscribed"_s;
    c.fields = {{u"FNAME"_s, u"Zoë \"Z\" O'Neil"_s},
                {u"LNAME"_s, u"line\nbreak\ttab\\backslash"_s},
                {u"EMOJI"_s, u"\U0001F600 and \u00e9"_s},
                {u"EMPTY"_s, QString()}};
    c.tags = {u"VIP"_s, u"Früh"_s, QString(), u"a,b"_s};
    c.consent.optinTime = QDateTime(QDate(2021, 3, 4), QTime(5, 6, 7, 89), Qt::UTC);
    c.consent.optinIp = u"192.0.2.1"_s;
    c.consent.confirmTime = QDateTime(QDate(1999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC);
    c.consent.confirmIp = u"2001:db8::1"_s;
    c.consent.suppressionTime = QDateTime(QDate(2024, 2, 29), QTime(0, 0), Qt::UTC);
    c.consent.suppressionReason = u"N/A (Unsubscribed by an admin)"_s;
    c.language = u"de"_s;
    c.location = {u"DE"_s, u"BE"_s, u"Europe/Berlin"_s, 52.520008, -13.404954};
    c.rating = 4;
    c.lastChanged = QDateTime(QDate(2026, 11, 24), QTime(13, 0, 1, 2), Qt::UTC);
    return c;
}

} // namespace

class TestBackupLineParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sameAsTheOldReading_data();
    void sameAsTheOldReading();
    void linesItDoesNotTakeGoBack_data();
    void linesItDoesNotTakeGoBack();
    void statusKeyAsTheVerifierReadsIt();
};

void TestBackupLineParser::sameAsTheOldReading_data()
{
    QTest::addColumn<QByteArray>("line");
    const auto written = [](const SourceContact &c) {
        return QJsonDocument(BackupFormat::contactJson(c)).toJson(QJsonDocument::Compact);
    };
    QTest::newRow("written, every member") << written(fullContact());
    SourceContact bare;
    bare.email = u"bare@example.com"_s;
    bare.status = ContactStatus::Subscribed;
    QTest::newRow("written, nothing but address and status") << written(bare);
    SourceContact cleaned = fullContact();
    cleaned.status = ContactStatus::Cleaned;
    cleaned.location.latitude.reset();
    cleaned.rating = 0;
    cleaned.consent.optinTime = QDateTime();
    QTest::newRow("written, cleaned, no latitude, rating 0") << written(cleaned);
    QTest::newRow("written, with a line break after it") << written(fullContact()) + "\n";

    const QByteArray base = R"("email":"x@example.com","status":"subscribed")";
    const auto line = [&base](const char *more) { return "{" + base + more + "}"; };
    QTest::newRow("the last of two keys wins") << QByteArray(
        R"({"email":"first@example.com","status":"cleaned","email":"second@example.com","status":"subscribed","rating":1,"rating":5})");
    QTest::newRow("the last of two objects wins")
        << line(R"(,"fields":{"A":"1","B":"2"},"fields":{"C":"3"},"consent":{"optinIp":"1.1.1.1"},"consent":{"confirmIp":"2.2.2.2"})");
    QTest::newRow("the last of two nested keys wins")
        << line(R"(,"fields":{"A":"1","A":"2"},"location":{"region":"x","region":"y","latitude":1,"latitude":null})");
    QTest::newRow("text only from strings")
        << line(R"(,"id":12,"platformStatus":true,"language":null,"fields":{"N":5,"B":false,"O":{},"L":[1]},"tags":["a",1,null,"b"])");
    QTest::newRow("members of the wrong type")
        << line(R"(,"fields":[1,2],"tags":{"a":"b"},"consent":"yes","location":[],"rating":"5","lastChanged":5)");
    QTest::newRow("rating 3.0") << line(R"(,"rating":3.0)");
    QTest::newRow("rating 1e2") << line(R"(,"rating":1e2)");
    QTest::newRow("rating 3.5") << line(R"(,"rating":3.5)");
    QTest::newRow("rating -7") << line(R"(,"rating":-7)");
    QTest::newRow("rating beyond an int") << line(R"(,"rating":2147483648)");
    QTest::newRow("rating beyond int64") << line(R"(,"rating":18446744073709551615)");
    QTest::newRow("rating null") << line(R"(,"rating":null)");
    QTest::newRow("latitude an integer, longitude huge")
        << line(R"(,"location":{"latitude":52,"longitude":18446744073709551615})");
    QTest::newRow("time without milliseconds") << line(R"(,"lastChanged":"2024-01-02T03:04:05Z")");
    QTest::newRow("time with an offset") << line(R"(,"lastChanged":"2024-01-02T03:04:05.678+02:00")");
    QTest::newRow("time at 24:00") << line(R"(,"lastChanged":"2024-01-02T24:00:00.000Z")");
    QTest::newRow("time on 30 February") << line(R"(,"lastChanged":"2024-02-30T00:00:00.000Z")");
    QTest::newRow("time at second 60") << line(R"(,"lastChanged":"2024-01-02T23:59:60.000Z")");
    QTest::newRow("time with a letter") << line(R"(,"lastChanged":"2024-01-0xT03:04:05.678Z")");
    QTest::newRow("time not a time") << line(R"(,"consent":{"optinTime":"yesterday","confirmTime":""})");
    QTest::newRow("escapes") << QByteArray(
        R"({"em\u0061il":"\u00e9\ud83d\ude00\u0000z@example.com","status":"subscribed","fields":{"\"K\"":"a\/b\\c"}})");
    QTest::newRow("spaces around everything") << QByteArray(
        " \t{ \"email\" : \"x@example.com\" , \"status\" : \"pending\" , \"tags\" : [ \"a\" ] }\r\n");
    QTest::newRow("unknown keys are left") << line(R"(,"extra":{"deep":[1,{"x":2}]},"more":1)");
    QTest::newRow("no email") << QByteArray(R"({"status":"subscribed"})");
    QTest::newRow("email not a string") << QByteArray(R"({"email":5,"status":"subscribed"})");
    QTest::newRow("unknown status") << QByteArray(R"({"email":"x@example.com","status":"Subscribed"})");
    QTest::newRow("no status") << QByteArray(R"({"email":"x@example.com"})");
    QTest::newRow("status not a string") << QByteArray(R"({"email":"x@example.com","status":1})");
    QTest::newRow("empty object") << QByteArray("{}");
}

void TestBackupLineParser::sameAsTheOldReading()
{
    QFETCH(QByteArray, line);
    const std::optional<Result<SourceContact>> expected = readTheOldWay(line);
    QVERIFY2(expected, "the old reading takes every line of this test");
    BackupLineParser parser;
    // Twice with the same parser: what one line leaves behind does not reach the next.
    for (int round = 0; round < 2; ++round) {
        const std::optional<Result<SourceContact>> got = parser.contact(line);
        QVERIFY2(got, "simdjson takes the line");
        QCOMPARE(bool(*got), bool(*expected));
        if (*expected)
            QCOMPARE(describe(got->value()), describe(expected->value()));
        else
            QCOMPARE(got->error().message, expected->error().message);
        // Without fields and tags: the same but for those, left empty.
        const std::optional<Result<SourceContact>> lean
            = parser.contact(line, BackupLineParser::Parts::NoFieldsOrTags);
        QVERIFY(lean);
        QCOMPARE(bool(*lean), bool(*expected));
        if (*expected) {
            SourceContact without = expected->value();
            without.fields.clear();
            without.tags.clear();
            QCOMPARE(describe(lean->value()), describe(without));
        } else {
            QCOMPARE(lean->error().message, expected->error().message);
        }
    }
}

void TestBackupLineParser::linesItDoesNotTakeGoBack_data()
{
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("not JSON") << QByteArray("email,status");
    QTest::newRow("an array") << QByteArray(R"([{"email":"x@example.com","status":"subscribed"}])");
    QTest::newRow("a string") << QByteArray(R"("x@example.com")");
    QTest::newRow("cut off") << QByteArray(R"({"email":"x@example.com","status":"subscr)");
    QTest::newRow("two objects") << QByteArray(R"({"email":"x@example.com"}{"status":"subscribed"})");
    QTest::newRow("invalid UTF-8") << QByteArray("{\"email\":\"x\xff@example.com\",\"status\":\"subscribed\"}");
    QTest::newRow("trailing comma") << QByteArray(R"({"email":"x@example.com","status":"subscribed",})");
}

void TestBackupLineParser::linesItDoesNotTakeGoBack()
{
    QFETCH(QByteArray, line);
    BackupLineParser parser;
    QVERIFY(!parser.contact(line));
    QVERIFY(!parser.statusKey(line));
    // The old reading refuses these too, and so says what is wrong with them.
    QVERIFY(!readTheOldWay(line));
    // The parser is still good for the next line.
    QVERIFY(parser.contact(R"({"email":"x@example.com","status":"subscribed"})").value_or(Error()));
}

void TestBackupLineParser::statusKeyAsTheVerifierReadsIt()
{
    BackupLineParser parser;
    for (const QByteArray &line :
         {QByteArray(R"({"email":"x@example.com","status":"cleaned"})"),
          QByteArray(R"({"status":"cleaned","status":"complained"})"),
          QByteArray(R"({"status":1})"), QByteArray("{}"), QByteArray(R"({"st\u0061tus":"pending"})"),
          QJsonDocument(BackupFormat::contactJson(fullContact())).toJson(QJsonDocument::Compact)}) {
        const std::optional<QByteArrayView> key = parser.statusKey(line);
        QVERIFY2(key, line.constData());
        QCOMPARE(QString::fromUtf8(*key),
                 QJsonDocument::fromJson(line).object().value(u"status"_s).toString());
    }
}

QTEST_GUILESS_MAIN(TestBackupLineParser)
#include "tst_backuplineparser.moc"
