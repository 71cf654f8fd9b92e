#include "assessment/assessor.h"
#include "testsupport.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <array>

using namespace Qt::StringLiterals;

// Known answers for the fixtures in tests/fixtures/exports. Every figure here was worked out from
// the files by hand (and cross-checked with a separate script), not taken from the code: see
// tests/fixtures/exports/README.md for the reasoning behind each one.

namespace {

using Statuses = std::array<qint64, kAllContactStatuses.size()>;

struct ExpectedField
{
    QString name;
    FieldType type;
    qint64 filled;
    bool custom;
};

struct ExpectedTag
{
    QString name;
    qint64 count;
};

struct ExpectedSource
{
    QString part;
    qint64 rows;
    QString encoding;
    QString delimiter;
    QString statusSource;
    QString path; ///< for the byte count
};

struct ExpectedFinding
{
    Finding::Kind kind;
    QString address;
    QString source;
    qint64 line;
    QString detail;
};

struct Expected
{
    ExportDialect dialect = ExportDialect::Generic;
    qint64 total = 0;
    Statuses byStatus{};
    qint64 duplicates = 0;
    qint64 invalidEmails = 0;
    QList<ExpectedField> fields;
    QList<ExpectedTag> tags;
    ConsentCoverage consent;
    bool ratingAvailable = false;
    std::array<qint64, 6> rating{};
    bool lastChangedAvailable = false;
    QDate reference;
    std::array<qint64, 6> lastChanged{};
    QStringList unrecognised;
    QList<ExpectedSource> sources;
    QList<ExpectedFinding> findings;
};

// subscribed, unsubscribed, cleaned, complained, pending, transactional, archived, unknown
Statuses statuses(qint64 sub, qint64 unsub, qint64 cleaned, qint64 complained, qint64 pending,
                  qint64 transactional, qint64 archived, qint64 unknown)
{
    return {sub, unsub, cleaned, complained, pending, transactional, archived, unknown};
}

ConsentCoverage consent(bool available, qint64 optinTime, qint64 optinIp, qint64 confirmTime,
                        qint64 confirmIp, qint64 withEvidence, qint64 subscribed,
                        qint64 subscribedWithEvidence)
{
    ConsentCoverage c;
    c.available = available;
    c.optinTime = optinTime;
    c.optinIp = optinIp;
    c.confirmTime = confirmTime;
    c.confirmIp = confirmIp;
    c.withEvidence = withEvidence;
    c.subscribed = subscribed;
    c.subscribedWithEvidence = subscribedWithEvidence;
    return c;
}

const QString kSubscribed = u"subscribed_members_export_5f3a.csv"_s;
const QString kUnsubscribed = u"unsubscribed_members_export_5f3a.csv"_s;
const QString kCleaned = u"cleaned_members_export_5f3a.csv"_s;
const QString kZipName = u"mailchimp-export.zip"_s;

QString mailchimpFixture(const QString &name)
{
    return TestSupport::fixture(u"exports/mailchimp/"_s + name);
}

QString firstSeen(qint64 line, const QString &part)
{
    return u"first seen on line %1 of %2"_s.arg(line).arg(part);
}

const QString kNoAt = u"no @ sign"_s;
const QString kEmpty = u"no address"_s;
const QString kDots = u"a dot at the start or end, or two dots in a row, before the @ sign"_s;
const QString kNoDot = u"the domain has no dot"_s;
const QString kManyAt = u"more than one @ sign"_s;
const QString kDomainChars = u"a character that is not allowed in the domain"_s;

/// The Mailchimp audience export, as the three CSVs (subscribed, unsubscribed, cleaned) or zipped.
Expected mailchimp(bool zip)
{
    const QString prefix = zip ? kZipName + u" \u203A "_s : QString();
    const QString sub = prefix + kSubscribed, unsub = prefix + kUnsubscribed,
                  clean = prefix + kCleaned;

    Expected e;
    e.dialect = ExportDialect::Mailchimp;
    e.total = 30;
    e.byStatus = statuses(18, 7, 5, 0, 0, 0, 0, 0);
    e.duplicates = 4;
    e.invalidEmails = 7;
    const QList<ExpectedField> base = {
        {u"First Name"_s, FieldType::Text, 30, true},
        {u"Last Name"_s, FieldType::Text, 30, true},
        {u"Address"_s, FieldType::Address, 5, true},
        {u"Phone Number"_s, FieldType::Phone, 9, true},
        {u"Birthday"_s, FieldType::Birthday, 8, true},
        {u"Company"_s, FieldType::Text, 4, true},
        {u"Website"_s, FieldType::Url, 5, true},
        {u"MEMBER_RATING"_s, FieldType::Number, 25, false},
        {u"OPTIN_TIME"_s, FieldType::Date, 22, false},
        {u"OPTIN_IP"_s, FieldType::Text, 21, false},
        {u"CONFIRM_TIME"_s, FieldType::Date, 20, false},
        {u"CONFIRM_IP"_s, FieldType::Text, 20, false},
        {u"LATITUDE"_s, FieldType::Number, 16, false},
        {u"LONGITUDE"_s, FieldType::Number, 16, false},
        {u"GMTOFF"_s, FieldType::Number, 16, false},
        {u"DSTOFF"_s, FieldType::Number, 16, false},
        {u"TIMEZONE"_s, FieldType::Text, 16, false},
        {u"CC"_s, FieldType::Text, 16, false},
        {u"REGION"_s, FieldType::Text, 16, false},
        {u"LAST_CHANGED"_s, FieldType::Date, 29, false},
        {u"LEID"_s, FieldType::Number, 30, false},
        {u"EUID"_s, FieldType::Text, 30, false},
        {u"NOTES"_s, FieldType::Text, 3, false},
        {u"TAGS"_s, FieldType::Tags, 18, false},
    };
    const QList<ExpectedField> unsubFields = {
        {u"UNSUB_TIME"_s, FieldType::Date, 7, false},
        {u"UNSUB_CAMPAIGN_TITLE"_s, FieldType::Text, 5, false},
        {u"UNSUB_CAMPAIGN_ID"_s, FieldType::Text, 5, false},
        {u"UNSUB_REASON"_s, FieldType::Text, 5, false},
        {u"UNSUB_REASON_OTHER"_s, FieldType::Text, 2, false},
    };
    const QList<ExpectedField> cleanFields = {
        {u"CLEAN_TIME"_s, FieldType::Date, 5, false},
        {u"CLEAN_CAMPAIGN_TITLE"_s, FieldType::Text, 5, false},
        {u"CLEAN_CAMPAIGN_ID"_s, FieldType::Text, 5, false},
    };
    // Fields appear in the order their files are read: the zip's entries in name order
    // (cleaned, subscribed, unsubscribed), the plain files in the order given.
    e.fields = base + (zip ? cleanFields + unsubFields : unsubFields + cleanFields);
    e.tags = {{u"Customer"_s, 7},
              {u"Newsletter"_s, 6},
              {u"VIP"_s, 6},
              {u"Spring 2024"_s, 3},
              {u"Wholesale, EU"_s, 1}};
    e.consent = consent(true, 22, 21, 20, 20, 23, 18, 16);
    e.ratingAvailable = true;
    e.rating = {5, 8, 8, 5, 2, 2};
    e.lastChangedAvailable = true;
    e.reference = QDate(2025, 6, 30);
    e.lastChanged = {6, 3, 5, 8, 7, 1};

    const QString fileName = u"file name"_s;
    const ExpectedSource s{sub, 18, u"UTF-8"_s, u","_s, fileName, mailchimpFixture(kSubscribed)};
    const ExpectedSource u{unsub, 7, u"ASCII"_s, u","_s, fileName, mailchimpFixture(kUnsubscribed)};
    const ExpectedSource c{clean, 5, u"ASCII"_s, u","_s, fileName, mailchimpFixture(kCleaned)};
    e.sources = zip ? QList<ExpectedSource>{c, s, u} : QList<ExpectedSource>{s, u, c};

    const QList<ExpectedFinding> inSub = {
        {Finding::InvalidEmail, u"erin..smith@example.com"_s, sub, 6, kDots},
        {Finding::Duplicate, u" Ann@Example.com"_s, sub, 7, firstSeen(2, sub)},
        {Finding::InvalidEmail, u"noah@example,com"_s, sub, 19, kDomainChars},
    };
    const QList<ExpectedFinding> inUnsub = {
        {Finding::Duplicate, u"Bob@Example.org"_s, unsub, 3, firstSeen(3, sub)},
        {Finding::InvalidEmail, QString(), unsub, 5, kEmpty},
        {Finding::InvalidEmail, u"   "_s, unsub, 8, kEmpty},
        {Finding::InvalidEmail, u"victor@example"_s, unsub, 9, kNoDot},
    };
    const QList<ExpectedFinding> inClean = {
        {Finding::InvalidEmail, u"dave.example.com"_s, clean, 2, kNoAt},
        {Finding::InvalidEmail, u"dave.example.com"_s, clean, 5, kNoAt},
        {Finding::Duplicate, u"dave.example.com"_s, clean, 5, firstSeen(2, clean)},
    };
    if (zip) {
        // Read first, the cleaned file holds the first Carol; the subscribed one is the duplicate.
        const ExpectedFinding carol{Finding::Duplicate, u"carol@example.net"_s, sub, 4,
                                    firstSeen(3, clean)};
        e.findings = inClean + QList<ExpectedFinding>{carol} + inSub + inUnsub;
    } else {
        const ExpectedFinding carol{Finding::Duplicate, u"Carol@Example.NET"_s, clean, 3,
                                    firstSeen(4, sub)};
        e.findings
            = inSub + inUnsub + QList<ExpectedFinding>{inClean[0], carol, inClean[1], inClean[2]};
    }
    return e;
}

Expected brevo()
{
    const QString part = u"brevo_contacts.csv"_s;
    Expected e;
    e.dialect = ExportDialect::Brevo;
    e.total = 9;
    e.byStatus = statuses(6, 3, 0, 0, 0, 0, 0, 0);
    e.duplicates = 1;
    e.invalidEmails = 2;
    e.fields = {
        {u"FIRSTNAME"_s, FieldType::Text, 9, true},
        {u"LASTNAME"_s, FieldType::Text, 9, true},
        {u"SMS"_s, FieldType::Phone, 6, true},
        {u"ADDED_TIME"_s, FieldType::Date, 9, false},
        {u"MODIFIED_TIME"_s, FieldType::Date, 8, false},
        {u"EMAIL_BLACKLISTED"_s, FieldType::Text, 9, false},
    };
    e.consent = consent(false, 0, 0, 0, 0, 0, 6, 0);
    e.lastChangedAvailable = true;
    e.reference = QDate(2024, 11, 2);
    e.lastChanged = {2, 1, 2, 2, 1, 1};
    e.sources = {{part, 9, u"Windows-1252"_s, u";"_s, u"column \"EMAIL_BLACKLISTED\""_s,
                  TestSupport::fixture(u"exports/brevo_contacts.csv"_s)}};
    e.findings = {
        {Finding::Duplicate, u"JOS\u00C9@example.fr"_s, part, 5, firstSeen(2, part)},
        {Finding::InvalidEmail, u"fran\u00E7oise@exemple"_s, part, 6, kNoDot},
        {Finding::InvalidEmail, QString(), part, 7, kEmpty},
    };
    return e;
}

Expected klaviyo()
{
    const QString part = u"klaviyo_profiles.csv"_s;
    Expected e;
    e.dialect = ExportDialect::Klaviyo;
    e.total = 10;
    e.byStatus = statuses(4, 1, 2, 1, 0, 2, 0, 0);
    e.duplicates = 1;
    e.invalidEmails = 1;
    e.fields = {
        {u"First Name"_s, FieldType::Text, 10, true},
        {u"Last Name"_s, FieldType::Text, 10, true},
        {u"Phone Number"_s, FieldType::Phone, 4, true},
        {u"Klaviyo ID"_s, FieldType::Text, 10, false},
        {u"Profile Created On"_s, FieldType::Date, 10, false},
        {u"Email Marketing Consent"_s, FieldType::Text, 10, false},
        {u"Email Marketing Consent Timestamp"_s, FieldType::Date, 6, false},
        {u"Email Suppressions"_s, FieldType::Text, 3, false},
    };
    e.consent = consent(true, 4, 0, 0, 0, 4, 4, 3);
    e.sources = {{part, 10, u"UTF-8"_s, u","_s,
                  u"column \"Email Marketing Consent\" and column \"Email Suppressions\""_s,
                  TestSupport::fixture(u"exports/klaviyo_profiles.csv"_s)}};
    e.findings = {
        {Finding::Duplicate, u"AMELIE@EXAMPLE.COM"_s, part, 8, firstSeen(2, part)},
        {Finding::InvalidEmail, u"s\u00F6ren@@example.se"_s, part, 9, kManyAt},
    };
    return e;
}

Expected generic()
{
    const QString part = u"generic_contacts.csv"_s;
    Expected e;
    e.dialect = ExportDialect::Generic;
    e.total = 8;
    e.byStatus = statuses(3, 2, 0, 0, 2, 0, 0, 1);
    e.duplicates = 1;
    e.invalidEmails = 2;
    e.fields = {
        {u"Name"_s, FieldType::Text, 8, true},
        {u"Status"_s, FieldType::Text, 8, false},
        {u"Tags"_s, FieldType::Tags, 6, false},
    };
    e.tags = {{u"VIP"_s, 4}, {u"Newsletter"_s, 3}, {u"Beta, Testers"_s, 1}};
    e.consent = consent(false, 0, 0, 0, 0, 0, 3, 0);
    e.unrecognised = {u"weird"_s};
    e.sources = {{part, 8, u"UTF-8"_s, u"tab"_s, u"column \"Status\""_s,
                  TestSupport::fixture(u"exports/generic_contacts.csv"_s)}};
    e.findings = {
        {Finding::Duplicate, u"PAT@example.com"_s, part, 6, firstSeen(2, part)},
        {Finding::InvalidEmail, u"not-an-email"_s, part, 7, kNoAt},
        {Finding::InvalidEmail, QString(), part, 9, kEmpty},
    };
    return e;
}

QString describe(const Finding &f)
{
    return u"%1 %2 %3:%4 (%5)"_s.arg(Finding::kindKey(f.kind), f.address, f.source)
        .arg(f.line)
        .arg(f.detail);
}

QString describe(const ExpectedFinding &f)
{
    return u"%1 %2 %3:%4 (%5)"_s.arg(Finding::kindKey(f.kind), f.address, f.source)
        .arg(f.line)
        .arg(f.detail);
}

/// The figures every inventory must have; `fromJson` for one read back from toJson() (no findings).
void checkInventory(const Inventory &inv, const Expected &e, bool fromJson)
{
    QCOMPARE(ExportDialects::key(inv.dialect), ExportDialects::key(e.dialect));
    QCOMPARE(inv.total, e.total);
    for (const ContactStatus s : kAllContactStatuses) {
        QVERIFY2(inv.count(s) == e.byStatus[size_t(s)],
                 qPrintable(u"%1: %2, expected %3"_s.arg(ContactStatuses::key(s))
                                .arg(inv.count(s))
                                .arg(e.byStatus[size_t(s)])));
    }
    QCOMPARE(inv.duplicates, e.duplicates);
    QCOMPARE(inv.invalidEmails, e.invalidEmails);

    QStringList names, expectedNames;
    for (const InventoryField &f : inv.fields)
        names.append(f.name);
    for (const ExpectedField &f : e.fields)
        expectedNames.append(f.name);
    QCOMPARE(names, expectedNames);
    for (qsizetype i = 0; i < e.fields.size(); ++i) {
        const InventoryField &f = inv.fields[i];
        const ExpectedField &x = e.fields[i];
        QVERIFY2(f.type == x.type, qPrintable(u"%1 is %2, expected %3"_s.arg(
                                       f.name, FieldTypes::key(f.type), FieldTypes::key(x.type))));
        QVERIFY2(
            f.filled == x.filled,
            qPrintable(u"%1 filled %2, expected %3"_s.arg(f.name).arg(f.filled).arg(x.filled)));
        QVERIFY2(f.custom == x.custom, qPrintable(u"%1: custom flag"_s.arg(f.name)));
    }

    QCOMPARE(inv.tags.size(), e.tags.size());
    for (qsizetype i = 0; i < e.tags.size(); ++i) {
        QCOMPARE(inv.tags[i].name, e.tags[i].name);
        QCOMPARE(inv.tags[i].count, e.tags[i].count);
    }

    QCOMPARE(inv.consent.available, e.consent.available);
    QCOMPARE(inv.consent.optinTime, e.consent.optinTime);
    QCOMPARE(inv.consent.optinIp, e.consent.optinIp);
    QCOMPARE(inv.consent.confirmTime, e.consent.confirmTime);
    QCOMPARE(inv.consent.confirmIp, e.consent.confirmIp);
    QCOMPARE(inv.consent.withEvidence, e.consent.withEvidence);
    QCOMPARE(inv.consent.subscribed, e.consent.subscribed);
    QCOMPARE(inv.consent.subscribedWithEvidence, e.consent.subscribedWithEvidence);

    QCOMPARE(inv.engagement.ratingAvailable, e.ratingAvailable);
    if (e.ratingAvailable) {
        for (int i = 0; i <= 5; ++i)
            QVERIFY2(inv.engagement.rating[size_t(i)] == e.rating[size_t(i)],
                     qPrintable(u"rating %1: %2, expected %3"_s.arg(i)
                                    .arg(inv.engagement.rating[size_t(i)])
                                    .arg(e.rating[size_t(i)])));
    }
    QCOMPARE(inv.engagement.lastChangedAvailable, e.lastChangedAvailable);
    if (e.lastChangedAvailable) {
        QCOMPARE(inv.engagement.reference, e.reference);
        for (int b = 0; b < 6; ++b)
            QVERIFY2(inv.engagement.lastChanged[size_t(b)] == e.lastChanged[size_t(b)],
                     qPrintable(u"%1: %2, expected %3"_s.arg(Engagement::bucketKey(b))
                                    .arg(inv.engagement.lastChanged[size_t(b)])
                                    .arg(e.lastChanged[size_t(b)])));
    }
    QCOMPARE(inv.unrecognisedStatusValues, e.unrecognised);

    QCOMPARE(inv.sources.size(), e.sources.size());
    for (qsizetype i = 0; i < e.sources.size(); ++i) {
        const InventorySource &s = inv.sources[i];
        const ExpectedSource &x = e.sources[i];
        QCOMPARE(s.part, x.part);
        QCOMPARE(s.rows, x.rows);
        QCOMPARE(s.encoding, x.encoding);
        QCOMPARE(s.delimiter, x.delimiter);
        QCOMPARE(s.statusSource, x.statusSource);
        QCOMPARE(ExportDialects::key(s.dialect), ExportDialects::key(e.dialect));
        QCOMPARE(s.bytes, QFileInfo(x.path).size());
    }

    if (fromJson) {
        QVERIFY(inv.findings.isEmpty());
        return;
    }
    QStringList found, expected;
    for (const Finding &f : inv.findings)
        found.append(describe(f));
    for (const ExpectedFinding &f : e.findings)
        expected.append(describe(f));
    QCOMPARE(found, expected);
    // Every duplicate and every invalid address is listed, once.
    qint64 duplicates = 0, invalid = 0;
    for (const Finding &f : inv.findings)
        (f.kind == Finding::Duplicate ? duplicates : invalid) += 1;
    QCOMPARE(duplicates, e.duplicates);
    QCOMPARE(invalid, e.invalidEmails);
}

/// The JSON of `stagecoach assess --json`, key by key.
void checkJson(const QJsonObject &json, const Expected &e)
{
    QCOMPARE(json.value(u"dialect").toString(), ExportDialects::key(e.dialect));

    const QJsonObject contacts = json.value(u"contacts").toObject();
    QCOMPARE(contacts.value(u"total").toInteger(-1), e.total);
    const QJsonObject byStatus = contacts.value(u"byStatus").toObject();
    const QStringList keys = {u"subscribed"_s, u"unsubscribed"_s,  u"cleaned"_s,  u"complained"_s,
                              u"pending"_s,    u"transactional"_s, u"archived"_s, u"unknown"_s};
    QCOMPARE(byStatus.keys().size(), keys.size());
    for (qsizetype i = 0; i < keys.size(); ++i) {
        QVERIFY2(byStatus.value(keys[i]).isDouble(), qPrintable(keys[i]));
        QCOMPARE(byStatus.value(keys[i]).toInteger(-1), e.byStatus[size_t(i)]);
    }
    QCOMPARE(json.value(u"duplicates").toInteger(-1), e.duplicates);
    QCOMPARE(json.value(u"invalidEmails").toInteger(-1), e.invalidEmails);

    const QJsonArray fields = json.value(u"fields").toArray();
    QCOMPARE(fields.size(), e.fields.size());
    for (qsizetype i = 0; i < e.fields.size(); ++i) {
        const QJsonObject f = fields[i].toObject();
        QCOMPARE(f.value(u"name").toString(), e.fields[i].name);
        QCOMPARE(f.value(u"type").toString(), FieldTypes::key(e.fields[i].type));
        QCOMPARE(f.value(u"filled").toInteger(-1), e.fields[i].filled);
        QCOMPARE(f.value(u"custom").toBool(!e.fields[i].custom), e.fields[i].custom);
    }
    const QJsonArray tags = json.value(u"tags").toArray();
    QCOMPARE(tags.size(), e.tags.size());
    for (qsizetype i = 0; i < e.tags.size(); ++i) {
        const QJsonObject t = tags[i].toObject();
        QCOMPARE(t.value(u"name").toString(), e.tags[i].name);
        QCOMPARE(t.value(u"count").toInteger(-1), e.tags[i].count);
    }

    const QJsonObject c = json.value(u"consent").toObject();
    QCOMPARE(c.value(u"available").toBool(!e.consent.available), e.consent.available);
    QCOMPARE(c.value(u"optinTime").toInteger(-1), e.consent.optinTime);
    QCOMPARE(c.value(u"optinIp").toInteger(-1), e.consent.optinIp);
    QCOMPARE(c.value(u"confirmTime").toInteger(-1), e.consent.confirmTime);
    QCOMPARE(c.value(u"confirmIp").toInteger(-1), e.consent.confirmIp);
    QCOMPARE(c.value(u"withEvidence").toInteger(-1), e.consent.withEvidence);
    QCOMPARE(c.value(u"withoutEvidence").toInteger(-1), e.total - e.consent.withEvidence);
    QCOMPARE(c.value(u"subscribed").toInteger(-1), e.consent.subscribed);
    QCOMPARE(c.value(u"subscribedWithEvidence").toInteger(-1), e.consent.subscribedWithEvidence);

    const QJsonObject engagement = json.value(u"engagement").toObject();
    if (e.ratingAvailable) {
        const QJsonObject r = engagement.value(u"memberRating").toObject();
        QCOMPARE(r.value(u"none").toInteger(-1), e.rating[0]);
        for (int i = 1; i <= 5; ++i)
            QCOMPARE(r.value(QString::number(i)).toInteger(-1), e.rating[size_t(i)]);
    } else {
        QVERIFY(engagement.value(u"memberRating").isNull());
    }
    if (e.lastChangedAvailable) {
        const QJsonObject l = engagement.value(u"lastChanged").toObject();
        QCOMPARE(l.value(u"reference").toString(), e.reference.toString(Qt::ISODate));
        const QStringList buckets = {u"within30Days"_s, u"days31to90"_s, u"days91to180"_s,
                                     u"days181to365"_s, u"over1Year"_s,  u"unknown"_s};
        for (int b = 0; b < 6; ++b)
            QCOMPARE(l.value(buckets[b]).toInteger(-1), e.lastChanged[size_t(b)]);
    } else {
        QVERIFY(engagement.value(u"lastChanged").isNull());
    }
    QJsonArray unrecognised;
    for (const QString &s : e.unrecognised)
        unrecognised.append(s);
    QCOMPARE(json.value(u"unrecognisedStatusValues").toArray(), unrecognised);

    const QJsonArray sources = json.value(u"sources").toArray();
    QCOMPARE(sources.size(), e.sources.size());
    for (qsizetype i = 0; i < e.sources.size(); ++i) {
        const QJsonObject s = sources[i].toObject();
        QCOMPARE(s.value(u"part").toString(), e.sources[i].part);
        QCOMPARE(s.value(u"rows").toInteger(-1), e.sources[i].rows);
        QCOMPARE(s.value(u"encoding").toString(), e.sources[i].encoding);
        QCOMPARE(s.value(u"delimiter").toString(), e.sources[i].delimiter);
    }
}

QString errorText(const AssessmentOutcome &o)
{
    return o.error ? o.error->toString() : QString();
}

} // namespace

class tst_Assessor : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    /// The Mailchimp fixture's three CSVs zipped as Mailchimp ships them.
    QString mailchimpZip()
    {
        const QString zip = m_dir.filePath(kZipName);
        if (QFileInfo::exists(zip))
            return zip;
        QList<QPair<QString, QByteArray>> entries;
        // Added in a different order from the name order the reader sorts them into.
        for (const QString &name : {kSubscribed, kUnsubscribed, kCleaned}) {
            QFile f(mailchimpFixture(name));
            if (!f.open(QIODevice::ReadOnly))
                return {};
            entries.append({name, f.readAll()});
        }
        return TestSupport::writeZip(zip, entries) ? zip : QString();
    }

    QStringList pathsFor(const QString &fixture)
    {
        if (fixture == u"mailchimp-csv")
            return {mailchimpFixture(kSubscribed), mailchimpFixture(kUnsubscribed),
                    mailchimpFixture(kCleaned)};
        if (fixture == u"mailchimp-zip")
            return {mailchimpZip()};
        if (fixture == u"brevo")
            return {TestSupport::fixture(u"exports/brevo_contacts.csv"_s)};
        if (fixture == u"klaviyo")
            return {TestSupport::fixture(u"exports/klaviyo_profiles.csv"_s)};
        return {TestSupport::fixture(u"exports/generic_contacts.csv"_s)};
    }

    static Expected expectedFor(const QString &fixture)
    {
        if (fixture == u"mailchimp-csv")
            return mailchimp(false);
        if (fixture == u"mailchimp-zip")
            return mailchimp(true);
        if (fixture == u"brevo")
            return brevo();
        if (fixture == u"klaviyo")
            return klaviyo();
        return generic();
    }

    static void addFixtureRows()
    {
        QTest::addColumn<QString>("fixture");
        for (const char *name : {"mailchimp-csv", "mailchimp-zip", "brevo", "klaviyo", "generic"})
            QTest::newRow(name) << QString::fromLatin1(name);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(!mailchimpZip().isEmpty());
    }

    void knownAnswers_data() { addFixtureRows(); }
    void knownAnswers()
    {
        QFETCH(QString, fixture);
        const AssessmentOutcome outcome = Assessor::assess(pathsFor(fixture));
        QVERIFY2(outcome.inventory, qPrintable(errorText(outcome)));
        QVERIFY(!outcome.error);
        QVERIFY(!outcome.cancelled);
        checkInventory(*outcome.inventory, expectedFor(fixture), false);
    }

    void json_data() { addFixtureRows(); }
    void json()
    {
        QFETCH(QString, fixture);
        const AssessmentOutcome outcome = Assessor::assess(pathsFor(fixture));
        QVERIFY2(outcome.inventory, qPrintable(errorText(outcome)));
        const Expected e = expectedFor(fixture);
        const QJsonObject json = outcome.inventory->toJson();
        checkJson(json, e);
        if (QTest::currentTestFailed())
            return;

        // Read back, the summary keeps every figure (findings are not part of it).
        const Inventory back = Inventory::fromJson(json);
        checkInventory(back, e, true);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(back.toJson(), json);
    }

    void csvAndZipAgree()
    {
        const AssessmentOutcome csv = Assessor::assess(pathsFor(u"mailchimp-csv"_s));
        const AssessmentOutcome zip = Assessor::assess(pathsFor(u"mailchimp-zip"_s));
        QVERIFY(csv.inventory && zip.inventory);
        // Same contacts whichever way they arrive; only the part names and the order differ.
        QCOMPARE(zip.inventory->total, csv.inventory->total);
        QVERIFY(zip.inventory->byStatus == csv.inventory->byStatus);
        QCOMPARE(zip.inventory->duplicates, csv.inventory->duplicates);
        QCOMPARE(zip.inventory->invalidEmails, csv.inventory->invalidEmails);
        QCOMPARE(zip.inventory->toJson().value(u"tags"), csv.inventory->toJson().value(u"tags"));
        QCOMPARE(zip.inventory->toJson().value(u"engagement"),
                 csv.inventory->toJson().value(u"engagement"));
        QCOMPARE(zip.inventory->toJson().value(u"consent"),
                 csv.inventory->toJson().value(u"consent"));
    }

    void mixedPlatformsFail_data()
    {
        QTest::addColumn<QStringList>("files");
        QTest::addColumn<QString>("second");
        const QString b = u"exports/brevo_contacts.csv"_s, k = u"exports/klaviyo_profiles.csv"_s;
        QTest::newRow("brevo then klaviyo") << QStringList{b, k} << u"klaviyo_profiles.csv"_s;
        QTest::newRow("klaviyo then brevo") << QStringList{k, b} << u"brevo_contacts.csv"_s;
    }
    void mixedPlatformsFail()
    {
        QFETCH(QStringList, files);
        QFETCH(QString, second);
        QStringList paths;
        for (const QString &f : files)
            paths.append(TestSupport::fixture(f));
        const AssessmentOutcome outcome = Assessor::assess(paths);
        QVERIFY(!outcome.inventory);
        QVERIFY(!outcome.cancelled);
        QVERIFY(outcome.error);
        const QString text = outcome.error->toString();
        for (const QString &word :
             {u"brevo_contacts.csv"_s, u"klaviyo_profiles.csv"_s, u"Brevo"_s, u"Klaviyo"_s})
            QVERIFY2(text.contains(word), qPrintable(text));
        // The file that does not fit is where the error is: its header row.
        QCOMPARE(outcome.error->where, second + u" line 1"_s);
    }

    void formatErrors_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("where");
        QTest::addColumn<QString>("message");

        QTest::newRow("ragged row after a multi-line field")
            << u"ragged.csv"_s
            << QByteArray(
                   "Email Address,First Name\nann@example.com,Ann\nbob@example.com,\"Bob\nBobby\"\n"
                   "carol@example.com,Carol,extra\ndan@example.com,Dan\n")
            << u"ragged.csv line 5"_s << u"this row has 3 fields but the header has 2."_s;
        QTest::newRow("short row, CRLF")
            << u"short.csv"_s
            << QByteArray("Email Address,First Name,Last "
                          "Name\r\nann@example.com,Ann,Lee\r\nbob@example.com\r\n")
            << u"short.csv line 3"_s << u"this row has 1 field but the header has 3."_s;
        QTest::newRow("binary file")
            << u"contacts.csv"_s
            << QByteArray("\x7f"
                          "ELF\x02\x01\x01")
                   + QByteArray(9, '\0') + QByteArray("\x03") + QByteArray(1, '\0')
            << u"contacts.csv line 1"_s
            << u"the file contains binary data (a NUL byte) in field 1."_s;
        QTest::newRow("NUL byte in a later row")
            << u"nul.csv"_s
            << QByteArray("Email Address,Name\nann@example.com,Ann\nbob@example.com,B")
                   + QByteArray(1, '\0') + "b\n"
            << u"nul.csv line 3"_s << u"the file contains binary data (a NUL byte) in field 2."_s;
        QTest::newRow("ends inside a quote")
            << u"cut.csv"_s
            << QByteArray("Email Address,Notes\nann@example.com,fine\nbob@example.com,\"never "
                          "closed\nstill going\n")
            << u"cut.csv line 3"_s
            << u"the file ends inside a quoted field that starts on this line."_s;
        QTest::newRow("ends inside a quote after a multi-line field")
            << u"cut2.csv"_s
            << QByteArray("Email Address,Notes,More\nann@example.com,\"two\nlines\",\"never "
                          "closed\nstill\n")
            << u"cut2.csv line 3"_s
            << u"the file ends inside a quoted field that starts on this line."_s;
    }
    void formatErrors()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, where);
        QFETCH(QString, message);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString bad = TestSupport::writeFile(dir.path(), name, content);
        QVERIFY(!bad.isEmpty());
        // A good file before the bad one: nothing of it may come back either.
        const AssessmentOutcome outcome
            = Assessor::assess({TestSupport::fixture(u"exports/generic_contacts.csv"_s), bad});
        QVERIFY(!outcome.inventory);
        QVERIFY(!outcome.cancelled);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->where, where);
        QCOMPARE(outcome.error->message, message);
        QVERIFY(!outcome.error->hint.isEmpty());
    }

    void formatErrorInZipEntry()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString zip = dir.filePath(u"broken.zip"_s);
        QVERIFY(TestSupport::writeZip(
            zip,
            {{u"subscribed_members_export_1.csv"_s,
              QByteArray("Email Address,First "
                         "Name,MEMBER_RATING\nann@example.com,Ann,2\nbob@example.com,Bob\n")}}));
        const AssessmentOutcome outcome = Assessor::assess({zip});
        QVERIFY(!outcome.inventory);
        QVERIFY(outcome.error);
        QCOMPARE(outcome.error->where,
                 u"broken.zip \u203A subscribed_members_export_1.csv line 3"_s);
    }

    void cancellation_data()
    {
        QTest::addColumn<int>("cancelAt"); // 1-based progress call that answers false
        QTest::newRow("first report") << 1;
        QTest::newRow("mid file") << 2;
    }
    void cancellation()
    {
        QFETCH(int, cancelAt);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString big = bigExport(dir.path());
        QVERIFY(!big.isEmpty());
        int calls = 0;
        const AssessmentOutcome outcome
            = Assessor::assess({big, mailchimpFixture(kSubscribed)},
                               [&](const AssessmentProgress &) { return ++calls < cancelAt; });
        QCOMPARE(calls, cancelAt); // no report after the answer to stop
        QVERIFY(outcome.cancelled);
        QVERIFY(!outcome.inventory);
        QVERIFY(!outcome.error);
    }

    void progress()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString big = bigExport(dir.path());
        QVERIFY(!big.isEmpty());
        const QStringList paths = {big, mailchimpFixture(kSubscribed), mailchimpZip()};
        qint64 total = QFileInfo(big).size() + QFileInfo(mailchimpFixture(kSubscribed)).size();
        for (const QString &name : {kSubscribed, kUnsubscribed, kCleaned})
            total += QFileInfo(mailchimpFixture(name)).size(); // the zip's entries, uncompressed

        QList<AssessmentProgress> reports;
        const AssessmentOutcome outcome = Assessor::assess(paths, [&](const AssessmentProgress &p) {
            reports.append(p);
            return true;
        });
        QVERIFY2(outcome.inventory, qPrintable(errorText(outcome)));
        // The big file is read in 1 MiB chunks: more than one report for it alone.
        QVERIFY(reports.size() >= 3 + 4);
        for (qsizetype i = 0; i < reports.size(); ++i) {
            QCOMPARE(reports[i].bytesTotal, total);
            QVERIFY(reports[i].bytesDone <= total);
            if (i > 0) {
                QVERIFY(reports[i].bytesDone >= reports[i - 1].bytesDone);
                QVERIFY(reports[i].rows >= reports[i - 1].rows);
            }
        }
        QCOMPARE(reports.first().part, u"big.csv"_s);
        QCOMPARE(reports.last().part, kZipName + u" \u203A "_s + kUnsubscribed);
        QCOMPARE(reports.last().bytesDone, total);
        QCOMPARE(reports.last().rows, outcome.inventory->total);
        QCOMPARE(outcome.inventory->total, kBigRows + 18 + 30);
    }

private:
    static constexpr qint64 kBigRows = 40000;

    /// A plain contact list of about 2.6 MB, so that it is read in several chunks.
    static QString bigExport(const QString &dir)
    {
        QByteArray data("Email Address,First Name,Last Name,MEMBER_RATING,LAST_CHANGED\n");
        for (qint64 i = 0; i < kBigRows; ++i)
            data += "member" + QByteArray::number(i) + "@example.com,Member,Number "
                    + QByteArray::number(i) + ",2,2025-01-01 10:00:00\n";
        return TestSupport::writeFile(dir, u"big.csv"_s, data);
    }
};

QTEST_GUILESS_MAIN(tst_Assessor)
#include "tst_assessor.moc"
