// KlaviyoConnector against the Klaviyo sandbox over real HTTP on 127.0.0.1: every source call,
// cursor paging, injected faults, rate windows, and the target writes with the consent rules.
#include "connectors/connectorfactory.h"
#include "connectors/klaviyo/klaviyoconnector.h"
#include "connectors/klaviyo/klaviyojson.h"
#include "connectors/transport/networkthread.h"
#include "sandbox/klaviyosandbox.h"
#include "sandbox/sandboxserver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QSet>
#include <QRandomGenerator>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {

const QString key = u"pk_sandbox_0123456789abcdef"_s;

template<typename T>
Result<T> await(QFuture<Result<T>> future, int ms = 30000)
{
    QElapsedTimer t;
    t.start();
    while (!future.isFinished() && t.elapsed() < ms)
        QTest::qWait(2);
    if (!future.isFinished())
        return Error(u"the test gave up waiting"_s);
    return future.result();
}

QDateTime utc(const char *text)
{
    return QDateTime::fromString(QString::fromLatin1(text), Qt::ISODate).toUTC();
}

KlaviyoProfile profile(const QString &email, const QString &consent = u"NEVER_SUBSCRIBED"_s,
                       const QStringList &suppressions = {})
{
    KlaviyoProfile p;
    p.email = email;
    p.consent = consent;
    if (consent != u"NEVER_SUBSCRIBED")
        p.consentTimestamp = utc("2021-05-06T07:08:09Z");
    for (const QString &s : suppressions)
        p.suppression.append({s, utc("2022-01-01T00:00:00Z")});
    return p;
}

TargetContact contact(const QString &email, ContactStatus status,
                      const ConsentEvidence &evidence = {})
{
    TargetContact c;
    c.email = email;
    c.write = ConsentMapping::map(status, evidence, TargetPlatform::Klaviyo);
    return c;
}

ConsentEvidence evidence()
{
    ConsentEvidence e;
    e.optinTime = utc("2020-01-01T10:00:00Z");
    e.optinIp = u"192.0.2.1"_s;
    e.confirmTime = utc("2020-01-02T11:00:00Z");
    return e;
}

QStringList reasons(const KlaviyoProfile &p)
{
    QStringList out;
    for (const KlaviyoSuppression &s : p.suppression)
        out.append(s.reason);
    return out;
}

} // namespace

class tst_KlaviyoConnector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void factoryMakesIt();
    void importProfileJsonAsQtWritesIt();
    void consentJobJsonAsQtWritesIt();
    void testConnection();
    void wrongKey();
    void audiences();
    void contactPaging_data();
    void contactPaging();
    void foreignCursorRefused();
    void consentJobsSplit();
    void listPaging();
    void contactStatus_data();
    void contactStatus();
    void contactDetails();
    void changedSince();
    void fields();
    void catalog();
    void campaigns();
    void unsupported();
    void faults_data();
    void faults();
    void faultsGiveUp_data();
    void faultsGiveUp();
    void rateWindows();

    void ensureList();
    void ensureFields();
    void transfer();
    void suppressedOnTargetNotResubscribed();
    void wrongWave();
    void invalidAddress();
    void importPolling();
    void splitByCount();
    void splitBySize();
    void profileTooLarge();
    void writeTemplate();

private:
    void start(RateLimiter limiter = RateLimiter(), int timeoutMs = 10000);

    std::unique_ptr<KlaviyoSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<NetworkThread> m_net;
    std::unique_ptr<KlaviyoConnector> m_klaviyo;
    QString m_listId;
};

void tst_KlaviyoConnector::init()
{
    m_sandbox = std::make_unique<KlaviyoSandbox>(key);
    m_listId = m_sandbox->seedEmpty();
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
    start();
}

void tst_KlaviyoConnector::start(RateLimiter limiter, int timeoutMs)
{
    m_klaviyo.reset();
    m_net.reset();
    m_net = std::make_unique<NetworkThread>(std::move(limiter),
                                            RetryPolicy(RetrySettings{.maxAttempts = 8,
                                                                      .baseDelayMs = 5,
                                                                      .maxDelayMs = 20,
                                                                      .maxServerDelayMs = 5000},
                                                        7));
    m_net->client().setDefaultTimeout(timeoutMs);
    ConnectionSettings settings{TargetPlatform::Klaviyo, key,
                                QUrl(m_server->baseUrl().toString() + u"/api"_s)};
    m_klaviyo = std::make_unique<KlaviyoConnector>(settings, m_net->client());
    m_klaviyo->setJobPolling(5, 20, 10000);
}

void tst_KlaviyoConnector::cleanup()
{
    m_klaviyo.reset();
    m_net.reset();
    m_server.reset();
    // Every request named the one revision the connector speaks.
    if (m_sandbox) {
        const QList<QByteArray> seen = m_sandbox->revisionsSeen();
        for (const QByteArray &r : seen)
            QCOMPARE(r, QByteArrayLiteral("2026-07-15"));
    }
    m_sandbox.reset();
}

void tst_KlaviyoConnector::factoryMakesIt()
{
    ConnectionSettings settings{TargetPlatform::Klaviyo, key,
                                QUrl(m_server->baseUrl().toString() + u"/api"_s)};
    auto source = ConnectorFactory::source(settings, m_net->client());
    auto target = ConnectorFactory::target(settings, m_net->client());
    QVERIFY(source && target);
    QCOMPARE(source->platform(), TargetPlatform::Klaviyo);
    const auto r = await(target->testConnection());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
}

void tst_KlaviyoConnector::testConnection()
{
    const auto r = await(m_klaviyo->testConnection());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->id, u"SbXyZ1"_s);
    QCOMPARE(r->name, u"Stagecoach Sandbox"_s);
    QCOMPARE(r->email, u"sandbox@example.com"_s);
    QVERIFY(r->detail.contains(u"test account"_s));
    QCOMPARE(m_sandbox->revisionsSeen(), QList<QByteArray>{QByteArrayLiteral("2026-07-15")});
}

void tst_KlaviyoConnector::wrongKey()
{
    ConnectionSettings settings{TargetPlatform::Klaviyo, u"pk_wrong"_s,
                                QUrl(m_server->baseUrl().toString() + u"/api"_s)};
    KlaviyoConnector wrong(settings, m_net->client());
    const auto r = await(wrong.testConnection());
    QVERIFY(!r.ok());
    QCOMPARE(r.error().httpStatus, 401);
    QCOMPARE(r.error().code, u"authentication_failed"_s);
    QVERIFY2(r.error().message.contains(u"Klaviyo"_s), qPrintable(r.error().message));
    QVERIFY2(r.error().hint.contains(u"API key"_s), qPrintable(r.error().hint));
    QCOMPARE(r.error().where, u"GET /api/accounts"_s);
}

void tst_KlaviyoConnector::audiences()
{
    // 12 lists: more than one page of 10 (get_lists' maximum).
    QStringList ids{m_listId};
    for (int i = 1; i < 12; ++i)
        ids.append(m_sandbox->addList(u"List %1"_s.arg(i)));
    for (int i = 0; i < 3; ++i)
        m_sandbox->addToList(ids.at(1),
                             m_sandbox->putProfile(profile(u"m%1@example.com"_s.arg(i))));
    const auto r = await(m_klaviyo->audiences());
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->size(), 12);
    QStringList got;
    for (const Audience &a : r.value())
        got.append(a.id);
    QCOMPARE(got, ids);
    QCOMPARE(r->at(0).name, u"Newsletter"_s);
    QCOMPARE(r->at(0).contacts, 0);
    QCOMPARE(r->at(1).contacts, 3);
    QCOMPARE(r->at(11).contacts, 0);
    QVERIFY(r->at(1).created.isValid());
    QCOMPARE(m_sandbox->operationCounts().value(u"get_lists"_s), 2);
    QCOMPARE(m_sandbox->operationCounts().value(u"get_list:profile_count"_s), 12);
}

void tst_KlaviyoConnector::contactPaging_data()
{
    QTest::addColumn<int>("profiles");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("pages");
    QTest::newRow("none") << 0 << 3 << 1;
    QTest::newRow("one") << 1 << 3 << 1;
    QTest::newRow("exactly one page") << 3 << 3 << 1;
    QTest::newRow("one past") << 4 << 3 << 2;
    QTest::newRow("several") << 10 << 3 << 4;
    QTest::newRow("100 at the maximum") << 100 << 100 << 1;
    QTest::newRow("101 at the maximum") << 101 << 0 << 2;
    QTest::newRow("over the maximum asked") << 101 << 500 << 2;
}

void tst_KlaviyoConnector::contactPaging()
{
    QFETCH(int, profiles);
    QFETCH(int, pageSize);
    QFETCH(int, pages);
    for (int i = 0; i < profiles; ++i)
        m_sandbox->putProfile(profile(u"p%1@example.com"_s.arg(i)));
    QSet<QString> seen;
    int pagesRead = 0;
    ContactQuery q;
    q.pageSize = pageSize;
    do {
        const auto r = await(m_klaviyo->contacts({}, q));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        ++pagesRead;
        QVERIFY(r->contacts.size() <= std::min(pageSize <= 0 ? 100 : pageSize, 100));
        for (const SourceContact &c : r->contacts) {
            QVERIFY2(!seen.contains(c.email), qPrintable(c.email));
            seen.insert(c.email);
        }
        q.cursor = r->next;
        QVERIFY(pagesRead <= pages);
    } while (!q.cursor.isEmpty());
    QCOMPARE(pagesRead, pages);
    QCOMPARE(seen.size(), profiles);
}

void tst_KlaviyoConnector::foreignCursorRefused()
{
    ContactQuery q;
    q.cursor = u"https://elsewhere.example.com/api/profiles/?page%5Bcursor%5D=abc"_s;
    const auto r = await(m_klaviyo->contacts({}, q));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(u"not followed"_s), qPrintable(r.error().message));
    q.cursor = m_server->baseUrl().toString() + u"/other/profiles"_s;
    QVERIFY(!await(m_klaviyo->contacts({}, q)).ok());
    QCOMPARE(m_server->requestCount(), 0);
}

void tst_KlaviyoConnector::consentJobsSplit()
{
    // 1001 subscribers: two subscribe jobs (at most 1000 each) after eleven look-ups of at most
    // 100 addresses; 150 suppressions and 120 unsubscribes: two calls each (at most 100).
    QList<TargetContact> subscribers;
    for (int i = 0; i < 1001; ++i)
        subscribers.append(
            contact(u"s%1@example.com"_s.arg(i), ContactStatus::Subscribed, evidence()));
    const auto s = await(m_klaviyo->upsertContacts(m_listId, subscribers), 60000);
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
    QCOMPARE(s->written, 1001);
    QList<TargetContact> gone;
    for (int i = 0; i < 150; ++i)
        gone.append(contact(u"c%1@example.com"_s.arg(i), ContactStatus::Cleaned));
    for (int i = 0; i < 120; ++i)
        gone.append(contact(u"u%1@example.com"_s.arg(i), ContactStatus::Unsubscribed));
    const auto g = await(m_klaviyo->writeSuppressions(m_listId, gone), 60000);
    QVERIFY2(g.ok(), qPrintable(g.ok() ? QString() : g.error().toString()));
    QCOMPARE(g->written, 270);
    const QHash<QString, int> ops = m_sandbox->operationCounts();
    QCOMPARE(ops.value(u"get_profiles"_s), 11);
    QCOMPARE(ops.value(u"bulk_subscribe_profiles"_s), 2);
    QCOMPARE(ops.value(u"bulk_suppress_profiles"_s), 2);
    QCOMPARE(ops.value(u"bulk_unsubscribe_profiles"_s), 2);
    QCOMPARE(ops.value(u"bulk_import_profiles"_s), 2);
    QCOMPARE(m_sandbox->list(m_listId)->profileIds.size(), 1001);
    QCOMPARE(m_sandbox->profileByEmail(u"c149@example.com"_s)->suppression.size(), 1);
    QCOMPARE(m_sandbox->profileByEmail(u"u119@example.com"_s)->consent, u"UNSUBSCRIBED"_s);
    QVERIFY(m_sandbox->doubleOptInsSent().isEmpty());
}

void tst_KlaviyoConnector::listPaging()
{
    const QString other = m_sandbox->addList(u"Other"_s);
    for (int i = 0; i < 7; ++i) {
        const QString id = m_sandbox->putProfile(profile(u"l%1@example.com"_s.arg(i)));
        m_sandbox->addToList(i % 2 ? m_listId : other, id);
    }
    QStringList seen;
    ContactQuery q;
    q.pageSize = 2;
    int pages = 0;
    do {
        const auto r = await(m_klaviyo->contacts(m_listId, q));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        for (const SourceContact &c : r->contacts)
            seen.append(c.email);
        q.cursor = r->next;
        ++pages;
    } while (!q.cursor.isEmpty() && pages < 10);
    QCOMPARE(pages, 2);
    QCOMPARE(seen, (QStringList{u"l1@example.com"_s, u"l3@example.com"_s, u"l5@example.com"_s}));
}

void tst_KlaviyoConnector::contactStatus_data()
{
    QTest::addColumn<QString>("consent");
    QTest::addColumn<QStringList>("suppressions");
    QTest::addColumn<ContactStatus>("status");
    QTest::addColumn<QString>("platformStatus");
    QTest::newRow("subscribed") << u"SUBSCRIBED"_s << QStringList() << ContactStatus::Subscribed
                                << u"SUBSCRIBED"_s;
    QTest::newRow("unsubscribed") << u"UNSUBSCRIBED"_s << QStringList()
                                  << ContactStatus::Unsubscribed << u"UNSUBSCRIBED"_s;
    QTest::newRow("never subscribed") << u"NEVER_SUBSCRIBED"_s << QStringList()
                                      << ContactStatus::Transactional << u"NEVER_SUBSCRIBED"_s;
    QTest::newRow("hard bounce") << u"SUBSCRIBED"_s << QStringList{u"HARD_BOUNCE"_s}
                                 << ContactStatus::Cleaned << u"SUBSCRIBED, HARD_BOUNCE"_s;
    QTest::newRow("invalid email")
        << u"NEVER_SUBSCRIBED"_s << QStringList{u"INVALID_EMAIL"_s} << ContactStatus::Cleaned
        << u"NEVER_SUBSCRIBED, INVALID_EMAIL"_s;
    QTest::newRow("spam complaint") << u"SUBSCRIBED"_s << QStringList{u"SPAM_COMPLAINT"_s}
                                    << ContactStatus::Complained << u"SUBSCRIBED, SPAM_COMPLAINT"_s;
    QTest::newRow("unsubscribe") << u"UNSUBSCRIBED"_s << QStringList{u"UNSUBSCRIBE"_s}
                                 << ContactStatus::Unsubscribed << u"UNSUBSCRIBED, UNSUBSCRIBE"_s;
    QTest::newRow("user suppressed")
        << u"SUBSCRIBED"_s << QStringList{u"USER_SUPPRESSED"_s} << ContactStatus::Unsubscribed
        << u"SUBSCRIBED, USER_SUPPRESSED"_s;
}

void tst_KlaviyoConnector::contactStatus()
{
    QFETCH(QString, consent);
    QFETCH(QStringList, suppressions);
    QFETCH(ContactStatus, status);
    QFETCH(QString, platformStatus);
    m_sandbox->putProfile(profile(u"s@example.com"_s, consent, suppressions));
    const auto r = await(m_klaviyo->contacts({}, {}));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->contacts.size(), 1);
    QCOMPARE(r->contacts.first().status, status);
    QCOMPARE(r->contacts.first().platformStatus, platformStatus);
}

void tst_KlaviyoConnector::contactDetails()
{
    KlaviyoProfile p = profile(u"ada@example.com"_s, u"SUBSCRIBED"_s);
    p.firstName = u"Ada"_s;
    p.lastName = u"Lovelace"_s;
    p.phoneNumber = u"+442071234567"_s;
    p.locale = u"en-GB"_s;
    p.location = QJsonObject{{u"city"_s, u"London"_s},
                             {u"country"_s, u"GB"_s},
                             {u"timezone"_s, u"Europe/London"_s},
                             {u"latitude"_s, 51.5}};
    p.properties = QJsonObject{
        {u"Plan"_s, u"Gold"_s}, {u"Points"_s, 42}, {u"tags"_s, QJsonArray{u"vip"_s, u"early"_s}}};
    const QString id = m_sandbox->putProfile(p);
    const auto r = await(m_klaviyo->contacts({}, {}));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    const SourceContact c = r->contacts.value(0);
    QCOMPARE(c.id, id);
    QCOMPARE(c.email, u"ada@example.com"_s);
    QCOMPARE(c.fields.value(u"first_name"_s), u"Ada"_s);
    QCOMPARE(c.fields.value(u"last_name"_s), u"Lovelace"_s);
    QCOMPARE(c.fields.value(u"phone_number"_s), u"+442071234567"_s);
    QCOMPARE(c.fields.value(u"location.city"_s), u"London"_s);
    QCOMPARE(c.fields.value(u"Plan"_s), u"Gold"_s);
    QCOMPARE(c.fields.value(u"Points"_s), u"42"_s);
    QCOMPARE(c.tags, (QStringList{u"vip"_s, u"early"_s}));
    QCOMPARE(c.language, u"en-GB"_s);
    QCOMPARE(c.location.countryCode, u"GB"_s);
    QCOMPARE(c.location.timezone, u"Europe/London"_s);
    QCOMPARE(c.location.latitude.value_or(0), 51.5);
    QCOMPARE(c.consent.optinTime, utc("2021-05-06T07:08:09Z"));
    QVERIFY(c.lastChanged.isValid());
}

void tst_KlaviyoConnector::changedSince()
{
    KlaviyoProfile old = profile(u"old@example.com"_s);
    old.created = old.updated = utc("2020-01-01T00:00:00Z");
    KlaviyoProfile fresh = profile(u"fresh+tag@example.com"_s);
    fresh.created = utc("2020-01-01T00:00:00Z");
    fresh.updated = utc("2024-06-01T00:00:00Z");
    const QString oldId = m_sandbox->putProfile(old);
    const QString freshId = m_sandbox->putProfile(fresh);
    m_sandbox->addToList(m_listId, oldId);
    m_sandbox->addToList(m_listId, freshId);
    ContactQuery q;
    q.changedSince = utc("2023-01-01T00:00:00Z");
    for (const QString &audience : {QString(), m_listId}) {
        const auto r = await(m_klaviyo->contacts(audience, q));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->contacts.size(), 1);
        QCOMPARE(r->contacts.first().email, u"fresh+tag@example.com"_s);
    }
    QVERIFY(m_klaviyo->features().testFlag(SourceConnector::Feature::ChangesSince));
}

void tst_KlaviyoConnector::fields()
{
    KlaviyoProfile a = profile(u"a@example.com"_s);
    a.properties = QJsonObject{{u"Plan"_s, u"Gold"_s}, {u"Points"_s, 3}};
    KlaviyoProfile b = profile(u"b@example.com"_s);
    b.properties = QJsonObject{{u"Birthday"_s, u"2001-02-03T00:00:00+00:00"_s}};
    m_sandbox->putProfile(a);
    m_sandbox->putProfile(b);
    const auto r = await(m_klaviyo->fields({}));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QStringList keys;
    for (const FieldDefinition &f : r.value())
        keys.append(f.key);
    QVERIFY(keys.contains(u"first_name"_s));
    QVERIFY(keys.contains(u"location.city"_s));
    const QStringList custom = keys.mid(keys.indexOf(u"location.ip"_s) + 1);
    QCOMPARE(custom, (QStringList{u"Birthday"_s, u"Plan"_s, u"Points"_s}));
    QCOMPARE(r->at(keys.indexOf(u"Points"_s)).type, FieldType::Number);
    QCOMPARE(r->at(keys.indexOf(u"Birthday"_s)).type, FieldType::Date);
    QCOMPARE(r->at(keys.indexOf(u"phone_number"_s)).type, FieldType::Phone);
}

void tst_KlaviyoConnector::catalog()
{
    for (int i = 0; i < 3; ++i)
        m_sandbox->addTag(u"Tag %1"_s.arg(i));
    for (int i = 0; i < 11; ++i)
        m_sandbox->addSegment(u"Segment %1"_s.arg(i));
    for (int i = 0; i < 11; ++i)
        m_sandbox->addTemplate(u"Template %1"_s.arg(i), u"<p>Body %1</p>"_s.arg(i));
    m_sandbox->addFlow(u"Welcome"_s, u"live"_s);
    m_sandbox->addFlow(u"Winback"_s, u"draft"_s);

    const auto tags = await(m_klaviyo->tags({}));
    QVERIFY(tags.ok());
    QCOMPARE(tags->size(), 3);
    QCOMPARE(tags->at(2).name, u"Tag 2"_s);
    const auto segments = await(m_klaviyo->segments({}));
    QVERIFY(segments.ok());
    QCOMPARE(segments->size(), 11); // two pages of at most 10
    QCOMPARE(segments->at(10).name, u"Segment 10"_s);
    QCOMPARE(segments->at(10).kind, u"segment"_s);
    const auto templates = await(m_klaviyo->templates());
    QVERIFY(templates.ok());
    QCOMPARE(templates->size(), 11);
    QCOMPARE(templates->at(10).name, u"Template 10"_s);
    QCOMPARE(templates->at(10).kind, u"CODE"_s);
    QVERIFY(templates->at(10).html.isEmpty());
    const auto content = await(m_klaviyo->templateContent(templates->at(4).id));
    QVERIFY(content.ok());
    QCOMPARE(content->html, u"<p>Body 4</p>"_s);
    const auto flows = await(m_klaviyo->automations());
    QVERIFY(flows.ok());
    QCOMPARE(flows->size(), 2);
    QCOMPARE(flows->at(0).name, u"Welcome"_s);
    QCOMPARE(flows->at(0).status, u"live"_s);
    QCOMPARE(m_sandbox->operationCounts().value(u"get_segments"_s), 2);
    QCOMPARE(m_sandbox->operationCounts().value(u"get_templates"_s), 2);
    const auto missing = await(m_klaviyo->templateContent(u"nope"_s));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().httpStatus, 404);
}

void tst_KlaviyoConnector::campaigns()
{
    m_sandbox->addCampaign(u"Spring"_s, u"Sent"_s, utc("2024-03-01T09:00:00Z"));
    m_sandbox->addCampaign(u"Autumn"_s, u"Sent"_s, utc("2024-10-01T09:00:00Z"));
    m_sandbox->addCampaign(u"Text"_s, u"Sent"_s, utc("2024-10-02T09:00:00Z"), u"sms"_s);
    const auto all = await(m_klaviyo->campaigns({}));
    QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error().toString()));
    QCOMPARE(all->size(), 2); // email only
    QCOMPARE(all->at(0).name, u"Spring"_s);
    QCOMPARE(all->at(0).status, u"Sent"_s);
    QCOMPARE(all->at(0).sentAt, utc("2024-03-01T09:00:00Z"));
    QVERIFY(!all->at(0).hasReport);
    const auto recent = await(m_klaviyo->campaigns(utc("2024-06-01T00:00:00Z")));
    QVERIFY(recent.ok());
    QCOMPARE(recent->size(), 1);
    QCOMPARE(recent->at(0).name, u"Autumn"_s);
}

void tst_KlaviyoConnector::unsupported()
{
    const auto domains = await(m_klaviyo->sendingDomains());
    QVERIFY(!domains.ok());
    QVERIFY(domains.error().message.contains(u"Klaviyo"_s));
    QVERIFY(!await(m_klaviyo->integrations()).ok());
    QVERIFY(!m_klaviyo->features().testFlag(SourceConnector::Feature::SendingDomains));
    QVERIFY(!m_klaviyo->features().testFlag(SourceConnector::Feature::Integrations));
    QCOMPARE(m_server->requestCount(), 0);
}

void tst_KlaviyoConnector::faults_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("retryAfter");
    QTest::newRow("429 with Retry-After") << int(SandboxFaults::TooManyRequests) << 1;
    QTest::newRow("429 without Retry-After") << int(SandboxFaults::TooManyRequests) << 0;
    QTest::newRow("503") << int(SandboxFaults::Unavailable) << 0;
    QTest::newRow("stall") << int(SandboxFaults::Stall) << 0;
    QTest::newRow("truncated body") << int(SandboxFaults::TruncatedBody) << 0;
}

void tst_KlaviyoConnector::faults()
{
    QFETCH(int, kind);
    QFETCH(int, retryAfter);
    start(RateLimiter(), 300);
    for (int i = 0; i < 24; ++i)
        m_sandbox->putProfile(profile(u"f%1@example.com"_s.arg(i)));
    m_server->setFaults(
        SandboxFaults{.rate = 0.3, .seed = 11, .kinds = kind, .retryAfterSeconds = retryAfter});
    QSet<QString> seen;
    ContactQuery q;
    q.pageSize = 5;
    int pages = 0;
    do {
        const auto r = await(m_klaviyo->contacts({}, q));
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        for (const SourceContact &c : r->contacts) {
            QVERIFY(!seen.contains(c.email));
            seen.insert(c.email);
        }
        q.cursor = r->next;
        ++pages;
    } while (!q.cursor.isEmpty() && pages < 10);
    QCOMPARE(seen.size(), 24);
    QCOMPARE(pages, 5);
    // A write through the same faults: every contact written exactly once, nothing lost.
    QList<TargetContact> batch;
    for (int i = 0; i < 5; ++i)
        batch.append(contact(u"w%1@example.com"_s.arg(i), ContactStatus::Subscribed, evidence()));
    const auto w = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY2(w.ok(), qPrintable(w.ok() ? QString() : w.error().toString()));
    QCOMPARE(w->written, 5);
    QVERIFY(w->failed.isEmpty());
    QVERIFY(m_server->requestCount() > pages + 3); // faults were met and retried
    m_server->setFaults({});
    for (int i = 0; i < 5; ++i)
        QCOMPARE(m_sandbox->profileByEmail(u"w%1@example.com"_s.arg(i))->consent, u"SUBSCRIBED"_s);
    QCOMPARE(m_sandbox->list(m_listId)->profileIds.size(), 5);
    QVERIFY(m_sandbox->doubleOptInsSent().isEmpty());
}

void tst_KlaviyoConnector::faultsGiveUp_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("said");
    QTest::newRow("503") << int(SandboxFaults::Unavailable) << u"HTTP 503"_s;
    QTest::newRow("stall") << int(SandboxFaults::Stall) << u"did not answer"_s;
    QTest::newRow("truncated body")
        << int(SandboxFaults::TruncatedBody) << u"incomplete or unreadable"_s;
    QTest::newRow("429") << int(SandboxFaults::TooManyRequests) << u"HTTP 429"_s;
}

void tst_KlaviyoConnector::faultsGiveUp()
{
    QFETCH(int, kind);
    QFETCH(QString, said);
    start(RateLimiter(), 200);
    m_server->setFaults(
        SandboxFaults{.rate = 1.0, .seed = 1, .kinds = kind, .retryAfterSeconds = 0});
    const auto r = await(m_klaviyo->contacts({}, {}));
    QVERIFY(!r.ok());
    QVERIFY2(r.error().message.contains(u"Klaviyo"_s), qPrintable(r.error().toString()));
    QVERIFY2(r.error().message.contains(said), qPrintable(r.error().toString()));
    QVERIFY2(r.error().where.startsWith(u"GET /api/profiles"_s), qPrintable(r.error().where));
}

void tst_KlaviyoConnector::rateWindows()
{
    // The sandbox enforces get_accounts' 1/s burst. Without a limiter the client meets 429s with
    // Retry-After and still succeeds; with the platform defaults it meets none.
    m_sandbox->setRateLimitsEnforced(true);
    QList<QFuture<Result<AccountInfo>>> calls;
    for (int i = 0; i < 3; ++i)
        calls.append(m_klaviyo->testConnection());
    for (auto &f : calls)
        QVERIFY(await(f, 15000).ok());
    QVERIFY(m_sandbox->operationCounts().value(u"get_accounts"_s) > 3);

    m_sandbox = std::make_unique<KlaviyoSandbox>(key);
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
    m_sandbox->setRateLimitsEnforced(true);
    start(RateLimiter::withPlatformDefaults());
    calls.clear();
    QElapsedTimer paced;
    paced.start();
    for (int i = 0; i < 3; ++i)
        calls.append(m_klaviyo->testConnection());
    for (auto &f : calls)
        QVERIFY(await(f, 15000).ok());
    // The limiter spaces them a second and its 50 ms guard apart, so a request that reaches the
    // sandbox sooner than the one before it still lands in the next window. (With an evenly
    // refilled bucket and no guard, a loaded machine saw two 429s here.) A stall of more than
    // the guard on a loaded machine may still cost one.
    QVERIFY(paced.elapsed() >= 1900);
    QVERIFY(m_sandbox->operationCounts().value(u"get_accounts"_s) <= 4);
}

void tst_KlaviyoConnector::ensureList()
{
    const auto first = await(m_klaviyo->ensureList(u"Migrated from Mailchimp"_s));
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QVERIFY(first->created);
    QCOMPARE(first->name, u"Migrated from Mailchimp"_s);
    const auto second = await(m_klaviyo->ensureList(u"Migrated from Mailchimp"_s));
    QVERIFY(second.ok());
    QVERIFY(!second->created);
    QCOMPARE(second->id, first->id);
    QCOMPARE(m_sandbox->listIds().size(), 2);
    QCOMPARE(m_sandbox->list(first->id)->optInProcess, u"single_opt_in"_s);
    // A name with quotes is found, not created twice.
    const auto quoted = await(m_klaviyo->ensureList(u"The \"Best\" list"_s));
    QVERIFY(quoted.ok() && quoted->created);
    QVERIFY(!await(m_klaviyo->ensureList(u"The \"Best\" list"_s))->created);
    QCOMPARE(m_sandbox->listIds().size(), 3);
}

void tst_KlaviyoConnector::ensureFields()
{
    const QList<FieldSpec> specs{{u"OPTIN_TIME"_s, FieldType::Date, {}, {}},
                                 {u"Plan"_s, FieldType::Text, {}, {}}};
    const auto r = await(m_klaviyo->ensureFields(m_listId, specs));
    QVERIFY(r.ok());
    QCOMPARE(r->size(), 2);
    QCOMPARE(r->at(0).id, u"OPTIN_TIME"_s);
    QCOMPARE(r->at(0).type, FieldType::Date);
    QVERIFY(!r->at(0).created);
    QCOMPARE(r->at(1).name, u"Plan"_s);
    QCOMPARE(m_server->requestCount(), 0);
}

void tst_KlaviyoConnector::transfer()
{
    const auto list = await(m_klaviyo->ensureList(u"Migration"_s));
    QVERIFY(list.ok());
    const QString listId = list->id;

    ConsentEvidence left = evidence();
    left.suppressionTime = utc("2023-03-03T03:03:03Z");
    left.suppressionReason = u"no longer interested"_s;
    const QList<QPair<QString, ContactStatus>> people{
        {u"sub@example.com"_s, ContactStatus::Subscribed},
        {u"unsub@example.com"_s, ContactStatus::Unsubscribed},
        {u"cleaned@example.com"_s, ContactStatus::Cleaned},
        {u"complained@example.com"_s, ContactStatus::Complained},
        {u"pending@example.com"_s, ContactStatus::Pending},
        {u"transactional@example.com"_s, ContactStatus::Transactional},
        {u"archived@example.com"_s, ContactStatus::Archived},
    };
    QList<TargetContact> suppressions;
    QList<TargetContact> others;
    for (const auto &[email, status] : people) {
        TargetContact c = contact(
            email, status,
            ConsentMapping::level(status) == ConsentLevel::Suppressed ? left : evidence());
        c.fields.insert(u"first_name"_s, u"Name of "_s + email);
        c.fields.insert(u"Plan"_s, u"Gold"_s);
        c.fields.insert(u"Ignored"_s, QVariant());
        c.tags = {u"imported"_s};
        (c.write.wave == WriteWave::Suppression ? suppressions : others).append(c);
    }
    // Subscribed without any consent time: written without consent (MappingCaveat).
    others.append(contact(u"notime@example.com"_s, ContactStatus::Subscribed, {}));
    QCOMPARE(suppressions.size(), 3);
    QCOMPARE(others.size(), 5);

    const auto s = await(m_klaviyo->writeSuppressions(listId, suppressions));
    QVERIFY2(s.ok(), qPrintable(s.ok() ? QString() : s.error().toString()));
    QCOMPARE(s->written, 3);
    QVERIFY(s->failed.isEmpty());
    const auto u = await(m_klaviyo->upsertContacts(listId, others));
    QVERIFY2(u.ok(), qPrintable(u.ok() ? QString() : u.error().toString()));
    QCOMPARE(u->written, 5);
    QVERIFY(u->failed.isEmpty());
    QVERIFY(!u->jobId.isEmpty());

    const auto state = [this](const QString &email) {
        return *m_sandbox->profileByEmail(email);
    };
    const KlaviyoProfile sub = state(u"sub@example.com"_s);
    QCOMPARE(sub.consent, u"SUBSCRIBED"_s);
    QCOMPARE(sub.consentTimestamp, utc("2020-01-02T11:00:00Z")); // the confirmation time
    QVERIFY(sub.suppression.isEmpty());
    QCOMPARE(sub.firstName, u"Name of sub@example.com"_s);
    QCOMPARE(sub.properties.value(u"Plan"_s).toString(), u"Gold"_s);
    QVERIFY(!sub.properties.contains(u"Ignored"_s));
    QCOMPARE(sub.properties.value(u"tags"_s).toArray(), QJsonArray{u"imported"_s});
    QCOMPARE(sub.properties.value(u"SOURCE_STATUS"_s).toString(), u"subscribed"_s);
    QCOMPARE(sub.properties.value(u"OPTIN_TIME"_s).toString(), u"2020-01-01T10:00:00+00:00"_s);
    QCOMPARE(sub.properties.value(u"OPTIN_IP"_s).toString(), u"192.0.2.1"_s);
    QCOMPARE(sub.properties.value(u"CONFIRM_TIME"_s).toString(), u"2020-01-02T11:00:00+00:00"_s);
    QCOMPARE(sub.methodDetail, u"Stagecoach migration"_s);

    const KlaviyoProfile unsub = state(u"unsub@example.com"_s);
    QCOMPARE(unsub.consent, u"UNSUBSCRIBED"_s);
    QCOMPARE(reasons(unsub), QStringList{u"UNSUBSCRIBE"_s});
    QCOMPARE(unsub.properties.value(u"SUPPRESSION_REASON"_s).toString(), u"no longer interested"_s);
    QCOMPARE(unsub.properties.value(u"SUPPRESSION_TIME"_s).toString(),
             u"2023-03-03T03:03:03+00:00"_s);
    for (const QString &e : {u"cleaned@example.com"_s, u"complained@example.com"_s}) {
        const KlaviyoProfile p = state(e);
        QCOMPARE(reasons(p), QStringList{u"USER_SUPPRESSED"_s});
        QCOMPARE(p.consent, u"NEVER_SUBSCRIBED"_s);
    }
    QCOMPARE(state(u"cleaned@example.com"_s).properties.value(u"SOURCE_STATUS"_s).toString(),
             u"cleaned"_s);
    QCOMPARE(state(u"complained@example.com"_s).properties.value(u"SOURCE_STATUS"_s).toString(),
             u"complained"_s);
    for (const QString &e : {u"pending@example.com"_s, u"transactional@example.com"_s,
                             u"archived@example.com"_s, u"notime@example.com"_s}) {
        const KlaviyoProfile p = state(e);
        QCOMPARE(p.consent, u"NEVER_SUBSCRIBED"_s);
        QVERIFY(p.suppression.isEmpty());
    }
    QCOMPARE(m_sandbox->list(listId)->profileIds, QStringList{sub.id});
    QVERIFY(m_sandbox->doubleOptInsSent().isEmpty());

    // Reading back: the list holds the subscriber; the account holds everyone.
    const auto listed = await(m_klaviyo->readContacts(listId, {}));
    QVERIFY(listed.ok());
    QCOMPARE(listed->contacts.size(), 1);
    QCOMPARE(listed->contacts.first().email, u"sub@example.com"_s);
    QCOMPARE(listed->contacts.first().state.klaviyoConsent, u"SUBSCRIBED"_s);
    QCOMPARE(listed->contacts.first().state.sourceStatusField, u"subscribed"_s);
    QCOMPARE(listed->contacts.first().fields.value(u"Plan"_s), u"Gold"_s);
    QCOMPARE(listed->contacts.first().tags, QStringList{u"imported"_s});
    ContactQuery q;
    q.pageSize = 3;
    QHash<QString, ContactStatus> back;
    do {
        const auto page = await(m_klaviyo->readContacts({}, q));
        QVERIFY(page.ok());
        for (const TargetContactRecord &r : page->contacts)
            back.insert(r.email, ConsentMapping::statusOnTarget(r.state));
        q.cursor = page->next;
    } while (!q.cursor.isEmpty());
    QCOMPARE(back.size(), 8);
    for (const TargetContact &c : suppressions + others)
        QCOMPARE(back.value(c.email), c.write.expectedOnTarget.value());

    const auto counts = await(m_klaviyo->countsByStatus({}));
    QVERIFY(counts.ok());
    QHash<ContactStatus, qint64> expected;
    for (const TargetContact &c : suppressions + others)
        ++expected[c.write.expectedOnTarget.value()];
    QCOMPARE(counts.value(), expected);
    const auto listCounts = await(m_klaviyo->countsByStatus(listId));
    QVERIFY(listCounts.ok());
    QCOMPARE(listCounts.value(), (QHash<ContactStatus, qint64>{{ContactStatus::Subscribed, 1}}));

    // The same batches again change nothing.
    const QList<KlaviyoProfile> before = m_sandbox->profiles();
    QVERIFY(await(m_klaviyo->writeSuppressions(listId, suppressions)).ok());
    const auto again = await(m_klaviyo->upsertContacts(listId, others));
    QVERIFY(again.ok());
    QCOMPARE(again->written, 5);
    const QList<KlaviyoProfile> after = m_sandbox->profiles();
    QCOMPARE(after.size(), before.size());
    for (int i = 0; i < before.size(); ++i) {
        QCOMPARE(after.at(i).email, before.at(i).email);
        QCOMPARE(after.at(i).consent, before.at(i).consent);
        QCOMPARE(after.at(i).consentTimestamp, before.at(i).consentTimestamp);
        QCOMPARE(reasons(after.at(i)), reasons(before.at(i)));
        QCOMPARE(after.at(i).properties, before.at(i).properties);
        QCOMPARE(after.at(i).firstName, before.at(i).firstName);
    }
    QCOMPARE(m_sandbox->list(listId)->profileIds, QStringList{sub.id});
    QVERIFY(m_sandbox->doubleOptInsSent().isEmpty());
}

void tst_KlaviyoConnector::suppressedOnTargetNotResubscribed()
{
    m_sandbox->putProfile(
        profile(u"blocked@example.com"_s, u"SUBSCRIBED"_s, {u"USER_SUPPRESSED"_s}));
    m_sandbox->putProfile(profile(u"Left@Example.com"_s, u"UNSUBSCRIBED"_s));
    m_sandbox->putProfile(
        profile(u"bounced@example.com"_s, u"NEVER_SUBSCRIBED"_s, {u"HARD_BOUNCE"_s}));
    m_sandbox->putProfile(profile(u"fine@example.com"_s, u"NEVER_SUBSCRIBED"_s));
    QList<TargetContact> batch;
    for (const QString &e : {u"blocked@example.com"_s, u"left@example.com"_s,
                             u"bounced@example.com"_s, u"fine@example.com"_s, u"new@example.com"_s})
        batch.append(contact(e, ContactStatus::Subscribed, evidence()));
    const auto r = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->written, 2);
    QCOMPARE(r->failed.size(), 3);
    QStringList failedEmails;
    for (const WriteFailure &f : r->failed) {
        failedEmails.append(f.email);
        QCOMPARE(f.code, u"suppressed_on_target"_s);
        QVERIFY2(f.message.contains(u"suppressed or unsubscribed"_s), qPrintable(f.message));
    }
    QCOMPARE(failedEmails, (QStringList{u"blocked@example.com"_s, u"left@example.com"_s,
                                        u"bounced@example.com"_s}));
    QCOMPARE(reasons(*m_sandbox->profileByEmail(u"blocked@example.com"_s)),
             QStringList{u"USER_SUPPRESSED"_s});
    QCOMPARE(m_sandbox->profileByEmail(u"left@example.com"_s)->consent, u"UNSUBSCRIBED"_s);
    QCOMPARE(reasons(*m_sandbox->profileByEmail(u"bounced@example.com"_s)),
             QStringList{u"HARD_BOUNCE"_s});
    QCOMPARE(m_sandbox->profileByEmail(u"fine@example.com"_s)->consent, u"SUBSCRIBED"_s);
    QCOMPARE(m_sandbox->profileByEmail(u"new@example.com"_s)->consent, u"SUBSCRIBED"_s);
    QCOMPARE(m_sandbox->list(m_listId)->profileIds.size(), 2);
    QVERIFY(m_sandbox->doubleOptInsSent().isEmpty());
}

void tst_KlaviyoConnector::wrongWave()
{
    const QList<TargetContact> batch{
        contact(u"sub@example.com"_s, ContactStatus::Subscribed, evidence()),
        contact(u"gone@example.com"_s, ContactStatus::Cleaned)};
    const auto s = await(m_klaviyo->writeSuppressions(m_listId, batch));
    QVERIFY(s.ok());
    QCOMPARE(s->written, 1);
    QCOMPARE(s->failed.size(), 1);
    QCOMPARE(s->failed.first().email, u"sub@example.com"_s);
    QCOMPARE(s->failed.first().code, u"wrong_wave"_s);
    const auto u = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY(u.ok());
    QCOMPARE(u->written, 1);
    QCOMPARE(u->failed.first().email, u"gone@example.com"_s);
    QCOMPARE(u->failed.first().code, u"wrong_wave"_s);
    QCOMPARE(m_sandbox->profileByEmail(u"gone@example.com"_s)->suppression.size(), 1);
}

void tst_KlaviyoConnector::invalidAddress()
{
    QList<TargetContact> batch;
    for (const QString &e : {u"good1@example.com"_s, u"not-an-address"_s, u"good2@example.com"_s})
        batch.append(contact(e, ContactStatus::Transactional));
    batch.append(contact(u"also bad@"_s, ContactStatus::Subscribed, evidence()));
    batch.append(contact(u"sub@example.com"_s, ContactStatus::Subscribed, evidence()));
    const auto r = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->written, 3);
    QCOMPARE(r->failed.size(), 2);
    QCOMPARE(r->failed.at(0).email, u"not-an-address"_s);
    QCOMPARE(r->failed.at(0).code, u"invalid"_s);
    QVERIFY2(r->failed.at(0).message.contains(u"Invalid email address"_s),
             qPrintable(r->failed.at(0).message));
    QCOMPARE(r->failed.at(1).email, u"also bad@"_s);
    QVERIFY(m_sandbox->profileByEmail(u"good1@example.com"_s));
    QVERIFY(m_sandbox->profileByEmail(u"good2@example.com"_s));
    QCOMPARE(m_sandbox->profileByEmail(u"sub@example.com"_s)->consent, u"SUBSCRIBED"_s);
    QCOMPARE(m_sandbox->profiles().size(), 3);
    QCOMPARE(m_sandbox->operationCounts().value(u"get_errors_for_bulk_import_profiles_job"_s), 1);
}

void tst_KlaviyoConnector::importPolling()
{
    m_sandbox->setImportJobPolls(3);
    QList<TargetContact> batch{contact(u"a@example.com"_s, ContactStatus::Pending),
                               contact(u"b@example.com"_s, ContactStatus::Transactional)};
    const auto r = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->written, 2);
    // The job answered "processing" three times, then "complete": four GETs of the job.
    QCOMPARE(m_sandbox->operationCounts().value(u"get_bulk_import_profiles_job"_s), 4);
    QCOMPARE(r->requests, 5);

    // A job that never finishes in time fails the write with a clear Error.
    m_sandbox->setImportJobPolls(1000000);
    m_klaviyo->setJobPolling(5, 10, 100);
    const auto slow = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY(!slow.ok());
    QVERIFY2(slow.error().message.contains(u"did not finish"_s), qPrintable(slow.error().message));
}

void tst_KlaviyoConnector::splitByCount()
{
    QList<TargetContact> batch;
    for (int i = 0; i < KlaviyoConnector::maxImportProfiles + 1; ++i)
        batch.append(contact(u"n%1@example.com"_s.arg(i), ContactStatus::Transactional));
    const auto r = await(m_klaviyo->upsertContacts(m_listId, batch), 120000);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->written, KlaviyoConnector::maxImportProfiles + 1);
    QCOMPARE(r->jobId.split(u',').size(), 2);
    QCOMPARE(m_sandbox->operationCounts().value(u"bulk_import_profiles"_s), 2);
    QCOMPARE(m_sandbox->profiles().size(), KlaviyoConnector::maxImportProfiles + 1);
}

void tst_KlaviyoConnector::splitBySize()
{
    // 600 profiles of about 10 kB: about 6 MB, over the 5 MB a job may carry.
    const QString big(10000, u'x');
    QList<TargetContact> batch;
    for (int i = 0; i < 600; ++i) {
        TargetContact c = contact(u"big%1@example.com"_s.arg(i), ContactStatus::Transactional);
        c.fields.insert(u"Notes"_s, big);
        batch.append(c);
    }
    const auto r = await(m_klaviyo->upsertContacts(m_listId, batch), 120000);
    QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
    QCOMPARE(r->written, 600);
    QCOMPARE(m_sandbox->operationCounts().value(u"bulk_import_profiles"_s), 2);
    QCOMPARE(m_sandbox->profiles().size(), 600);
    QCOMPARE(m_sandbox->profileByEmail(u"big599@example.com"_s)
                 ->properties.value(u"Notes"_s)
                 .toString()
                 .size(),
             10000);
}

void tst_KlaviyoConnector::profileTooLarge()
{
    TargetContact huge = contact(u"huge@example.com"_s, ContactStatus::Subscribed, evidence());
    huge.fields.insert(u"Notes"_s, QString(120000, u'y'));
    const QList<TargetContact> batch{
        huge, contact(u"small@example.com"_s, ContactStatus::Subscribed, evidence())};
    const auto r = await(m_klaviyo->upsertContacts(m_listId, batch));
    QVERIFY(r.ok());
    QCOMPARE(r->written, 1);
    QCOMPARE(r->failed.size(), 1);
    QCOMPARE(r->failed.first().email, u"huge@example.com"_s);
    QCOMPARE(r->failed.first().code, u"profile_too_large"_s);
    QVERIFY(!m_sandbox->profileByEmail(u"huge@example.com"_s)); // neither imported nor subscribed
    QCOMPARE(m_sandbox->profileByEmail(u"small@example.com"_s)->consent, u"SUBSCRIBED"_s);
}

void tst_KlaviyoConnector::writeTemplate()
{
    const TemplateContent content{u"Welcome"_s, u"Hi"_s, u"<p>Hello {{ first_name }}</p>"_s,
                                  u"Shop"_s, u"shop@example.com"_s};
    const auto first = await(m_klaviyo->writeTemplate(content));
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QVERIFY(first->created);
    const auto second = await(m_klaviyo->writeTemplate(content));
    QVERIFY(second.ok());
    QVERIFY(!second->created);
    QCOMPARE(second->id, first->id);
    QCOMPARE(m_sandbox->templates().size(), 1);
    QCOMPARE(m_sandbox->templates().first().attributes.value(u"editor_type"_s).toString(),
             u"CODE"_s);
    const auto back = await(m_klaviyo->templateContent(first->id));
    QVERIFY(back.ok());
    QCOMPARE(back->html, content.html);
    QCOMPARE(back->name, u"Welcome"_s);
}

void tst_KlaviyoConnector::importProfileJsonAsQtWritesIt()
{
    // The import bodies are written directly; they must be exactly what QJsonDocument writes
    // for importProfile(): the same members in the same order, the same escapes and numbers.
    QList<TargetContact> contacts;
    TargetContact plain;
    plain.email = u"plain@example.com"_s;
    contacts.append(plain);
    TargetContact full;
    full.email = u"Zoë.O'Neil+tag@example.com"_s;
    full.fields = {{u"first_name"_s, u"Zoë"_s},
                   {u"last_name"_s, u"O\"Neil \\ back\nline\ttab\u0001\u001f\u007f"_s},
                   {u"phone_number"_s, u"+4915112345678"_s},
                   {u"organization"_s, QVariant()},
                   {u"location.city"_s, u"Berlin"_s},
                   {u"location.latitude"_s, 52.520008},
                   {u"location.longitude"_s, -13.0},
                   {u"location.unknown"_s, u"kept as a property"_s},
                   {u"BIRTHDAY"_s, QDate(1990, 2, 28)},
                   {u"SIGNED_UP"_s, QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5), Qt::UTC)},
                   {u"SCORE"_s, 1e21},
                   {u"SMALL"_s, 0.1},
                   {u"COUNT"_s, 42},
                   {u"BIG"_s, qint64(9007199254740993)},
                   {u"VIP"_s, true},
                   {u"EMOJI \U0001F600"_s, u"\U0001F600 \u00e9 \u4e2d"_s},
                   {u"Ünïcode key"_s, u"value"_s},
                   {u"tags"_s, u"replaced by the tags"_s},
                   {u"email"_s, u"not a property"_s},
                   {u"LIST"_s, QStringList{u"a"_s, u"b\"c"_s}}};
    full.tags = {u"VIP"_s, u"Früh"_s, QString(), u"with \"quote\""_s};
    full.language = u"  de  "_s;
    full.write.attributes = {{u"OPTIN_TIME"_s, QDateTime(QDate(2021, 3, 4), QTime(5, 6, 7, 89), Qt::UTC)},
                             {u"OPTIN_IP"_s, u"192.0.2.1"_s},
                             {u"SCORE"_s, u"evidence wins"_s}};
    contacts.append(full);
    TargetContact edges; // dates and times at the edges of what is written by hand
    edges.email = u"edges@example.com"_s;
    edges.fields = {{u"D_FIRST"_s, QDate(1, 1, 1)},
                    {u"D_LAST"_s, QDate(9999, 12, 31)},
                    {u"D_BEYOND"_s, QDate(10000, 1, 1)},
                    {u"D_BC"_s, QDate(-5, 6, 7)},
                    {u"D_INVALID"_s, QDate()},
                    {u"D_LEAP"_s, QDate(2024, 2, 29)},
                    {u"T_OFFSET"_s, QDateTime(QDate(2024, 1, 1), QTime(0, 30), Qt::OffsetFromUTC, 3600)},
                    {u"T_LOCAL"_s, QDateTime(QDate(2024, 7, 1), QTime(12, 0), Qt::LocalTime)},
                    {u"T_INVALID"_s, QDateTime()},
                    {u"T_INTO_10000"_s, QDateTime(QDate(9999, 12, 31), QTime(23, 30), Qt::OffsetFromUTC, -3600)},
                    {u"T_BEFORE_1"_s, QDateTime(QDate(1, 1, 1), QTime(0, 30), Qt::OffsetFromUTC, 3600)},
                    {u"T_LAST_MS"_s, QDateTime(QDate(2024, 12, 31), QTime(23, 59, 59, 999), Qt::UTC)},
                    {u"EMPTY_LIST"_s, QStringList()},
                    {u"NULL_TEXT"_s, QString()},
                    {u"EMPTY_TEXT"_s, u""_s}};
    edges.write.attributes = {{u"OPTIN_TIME"_s, QDateTime(QDate(1999, 12, 31), QTime(23, 0), Qt::OffsetFromUTC, -7200)}};
    contacts.append(edges);
    TargetContact locationOnly;
    locationOnly.email = u"a\u0000b@example.com"_s;
    locationOnly.fields = {{u"location.zip"_s, u"10115"_s}, {u"location.country"_s, u"DE"_s}};
    contacts.append(locationOnly);
    for (const TargetContact &c : std::as_const(contacts)) {
        const QByteArray expected
            = QJsonDocument(KlaviyoJson::importProfile(c)).toJson(QJsonDocument::Compact);
        QCOMPARE(KlaviyoJson::importProfileJson(c), expected);
    }
    // time(), written by hand where it can be, against Qt's ISO form.
    QRandomGenerator random(20261124);
    for (int i = 0; i < 20000; ++i) {
        const QDate day = QDate(1, 1, 1).addDays(random.bounded(3'700'000) - 2000);
        const QTime clock = QTime::fromMSecsSinceStartOfDay(random.bounded(86'400'000));
        const int offset = (random.bounded(2 * 14 * 60 + 1) - 14 * 60) * 60;
        const QDateTime t = i % 3 == 0 ? QDateTime(day, clock, Qt::UTC)
                                       : QDateTime(day, clock, Qt::OffsetFromUTC, offset);
        const QString qt = t.toUTC().toString(Qt::ISODate).replace(u"Z"_s, u"+00:00"_s);
        QCOMPARE(KlaviyoJson::time(t), qt);
    }
}

void tst_KlaviyoConnector::consentJobJsonAsQtWritesIt()
{
    // Suppression and subscription jobs are written directly too: byte for byte what
    // QJsonDocument writes for bulkJob() over the profiles as QJsonObjects.
    const QStringList emails{u"plain@example.com"_s, u"Zoë.O'Neil+tag@example.com"_s,
                             u"quo\"te\\back@example.com"_s, u"a\u0000b\u001f@example.com"_s,
                             u"\U0001F600@example.com"_s, QString()};
    const QList<QDateTime> times{QDateTime(),
                                 QDateTime(QDate(2024, 1, 2), QTime(3, 4, 5, 678), Qt::UTC),
                                 QDateTime(QDate(2024, 1, 1), QTime(0, 30), Qt::OffsetFromUTC, 3600),
                                 QDateTime(QDate(9999, 12, 31), QTime(23, 30), Qt::OffsetFromUTC, -3600),
                                 QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC)};
    const QJsonObject subscribeAttributes{{u"custom_source"_s, u"Stagecoach migration"_s},
                                          {u"historical_import"_s, true}};
    const QJsonObject list{{u"list"_s, KlaviyoJson::relationship(u"list"_s, u"Xy12\"3"_s)}};
    struct Case
    {
        QString type;
        QString consent; // empty: a suppression
        QJsonObject attributes;
        QJsonObject relationships;
    };
    const QList<Case> cases{
        {u"profile-suppression-bulk-create-job"_s, {}, {}, {}},
        {u"profile-subscription-bulk-delete-job"_s, u"UNSUBSCRIBED"_s, {}, {}},
        {u"profile-subscription-bulk-create-job"_s, u"SUBSCRIBED"_s, subscribeAttributes, list},
        {u"profile-subscription-bulk-create-job"_s, u"SUBSCRIBED"_s,
         {{u"custom_source"_s, u"Stagecoach migration"_s}, {u"historical_import"_s, false}}, {}},
        // An attribute holding what marks the place of the profiles (bulkJobJson): written by Qt.
        {u"profile-suppression-bulk-create-job"_s, {},
         {{u"a_list"_s, QJsonArray{u"\u0001stagecoach profiles\u0001"_s}}}, {}}};
    for (const Case &c : cases) {
        for (int count : {0, 1, int(emails.size())}) {
            QJsonArray objects;
            QByteArray written;
            for (int i = 0; i < count; ++i) {
                const QDateTime at = times.at(i % times.size());
                QJsonObject a{{u"email"_s, emails.at(i)}};
                if (!c.consent.isEmpty()) {
                    QJsonObject marketing{{u"consent"_s, c.consent}};
                    if (at.isValid())
                        marketing.insert(u"consented_at"_s, KlaviyoJson::time(at));
                    a.insert(u"subscriptions"_s,
                             QJsonObject{{u"email"_s, QJsonObject{{u"marketing"_s, marketing}}}});
                }
                objects.append(QJsonObject{{u"type"_s, u"profile"_s}, {u"attributes"_s, a}});
                if (i > 0)
                    written += ',';
                written += c.consent.isEmpty()
                    ? KlaviyoJson::consentProfileJson(emails.at(i))
                    : KlaviyoJson::consentProfileJson(emails.at(i), c.consent, at);
            }
            const QByteArray expected
                = QJsonDocument(KlaviyoJson::bulkJob(c.type, objects, c.attributes, c.relationships))
                      .toJson(QJsonDocument::Compact);
            QCOMPARE(KlaviyoJson::bulkJobJson(c.type, written, c.attributes, c.relationships), expected);
        }
    }
}

QTEST_GUILESS_MAIN(tst_KlaviyoConnector)
#include "tst_klaviyoconnector.moc"
