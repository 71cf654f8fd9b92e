// BrevoConnector against the Brevo sandbox over real HTTP on 127.0.0.1: every source call, paging
// boundaries, faults and rate limits, and the target writes with their consent rules.
#include "connectors/brevo/brevoconnector.h"
#include "connectors/connectorfactory.h"
#include "connectors/transport/networkthread.h"
#include "sandbox/brevosandbox.h"
#include "sandbox/sandboxserver.h"

#include <QJsonDocument>
#include <QMap>
#include <QSet>
#include <QTest>

#include <memory>
#include <optional>

using namespace Qt::StringLiterals;

namespace {

const QString key = u"xkeysib-connector-test"_s;

template<typename T>
std::optional<Result<T>> await(QFuture<Result<T>> future, int ms = 30000)
{
    if (!QTest::qWaitFor([&future] { return future.isFinished(); }, ms))
        return std::nullopt;
    return future.result();
}

template<typename T>
QByteArray describe(const std::optional<Result<T>> &r)
{
    if (!r)
        return "did not finish";
    if (r->ok())
        return "ok";
    return r->error().toString().toUtf8();
}

// Declares `var` with the answer of `expr` and fails the test unless it is a value. `var` names
// a declaration, so it cannot be parenthesised.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define AWAIT_OK(var, expr)                                                                        \
    const auto var = await(expr);                                                                  \
    QVERIFY2(var && var->ok(), describe(var).constData())
// NOLINTEND(bugprone-macro-parentheses)

BrevoContact contact(const QString &email, QList<qint64> lists = {}, bool blacklisted = false)
{
    BrevoContact c;
    c.email = email;
    c.listIds = std::move(lists);
    c.emailBlacklisted = blacklisted;
    return c;
}

TargetContact targetContact(const QString &email, ContactStatus status,
                            const ConsentEvidence &evidence = {})
{
    TargetContact t;
    t.email = email;
    t.write = ConsentMapping::map(status, evidence, TargetPlatform::Brevo);
    return t;
}

} // namespace

class tst_BrevoConnector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    // Source
    void factory();
    void testConnection();
    void wrongKey();
    void audiencesPaged();
    void fields();
    void contactsPaging_data();
    void contactsPaging();
    void contactsLimitSized_data();
    void contactsLimitSized();
    void contactStatuses();
    void changedSince();
    void templatesAndContent();
    void campaigns();
    void sendingDomainsAndSegments();
    void unsupported();
    void faults_data();
    void faults();
    void failsClearly_data();
    void failsClearly();
    void rateLimitHonoured();

    // Target
    void ensureListTwice();
    void ensureFieldsTwice();
    void transferEveryStatus();
    void listUnsubscribedReadBack();
    void invalidAddress();
    void sameBatchTwice();
    void sameLargeBatchTwice();
    void readBackStopsAtTheImport();
    void pollsUntilCompleted();
    void largeBatchSplit();
    void wrongWave();
    void unknownAttributeRefused();
    void writeTemplate();
    void tagsBecomeLists();
    void tagNotWritten();

private:
    /// List name -> its contacts (emails, sorted), for every list in the migration's folder.
    QMap<QString, QStringList> listsInFolder() const;
    void startClient(RetrySettings retry = fastRetries());
    static RetrySettings fastRetries()
    {
        return {.maxAttempts = 6, .baseDelayMs = 5, .maxDelayMs = 20, .maxServerDelayMs = 5000};
    }
    std::unique_ptr<BrevoConnector> makeConnector(const QString &apiKey = key);
    QList<SourceContact> readAll(const QString &audienceId, int pageSize, int *pages,
                                 const QDateTime &since = {});
    QList<BrevoContact> contactsIn(qint64 listId) const;
    /// Makes every sandbox contact look last modified a day ago.
    void ageContacts();
    /// The evidence attributes (ConsentMapping) on the sandbox, as a transfer creates them.
    bool ensureEvidence(const QList<FieldSpec> &more = {});

    std::unique_ptr<BrevoSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<NetworkThread> m_network;
    std::unique_ptr<BrevoConnector> m_connector;
    qint64 m_firstList = 0;
};

void tst_BrevoConnector::init()
{
    m_sandbox = std::make_unique<BrevoSandbox>(key);
    m_firstList = m_sandbox->seedEmpty();
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
    startClient();
}

void tst_BrevoConnector::startClient(RetrySettings retry)
{
    m_connector.reset();
    m_network = std::make_unique<NetworkThread>(RateLimiter::withPlatformDefaults(),
                                                RetryPolicy(retry, 7));
    m_connector = makeConnector();
}

std::unique_ptr<BrevoConnector> tst_BrevoConnector::makeConnector(const QString &apiKey)
{
    ConnectionSettings settings;
    settings.platform = TargetPlatform::Brevo;
    settings.apiKey = apiKey;
    QUrl base = m_server->baseUrl();
    base.setPath(u"/v3"_s);
    settings.baseUrl = base;
    auto c = std::make_unique<BrevoConnector>(settings, m_network->client());
    c->setPolling(5, 40, 5000);
    c->setRequestTimeout(2000);
    return c;
}

void tst_BrevoConnector::cleanup()
{
    m_connector.reset();
    m_network.reset();
    m_server.reset();
    m_sandbox.reset();
}

QList<SourceContact> tst_BrevoConnector::readAll(const QString &audienceId, int pageSize,
                                                 int *pages, const QDateTime &since)
{
    QList<SourceContact> out;
    ContactQuery q;
    q.pageSize = pageSize;
    q.changedSince = since;
    *pages = 0;
    do {
        const auto page = await(m_connector->contacts(audienceId, q));
        if (!page || !page->ok()) {
            qWarning() << describe(page);
            *pages = -1;
            return out;
        }
        ++*pages;
        out += page->value().contacts;
        q.cursor = page->value().next;
    } while (!q.cursor.isEmpty() && *pages < 10000);
    return out;
}

QList<BrevoContact> tst_BrevoConnector::contactsIn(qint64 listId) const
{
    QList<BrevoContact> out;
    for (const BrevoContact &c : m_sandbox->contacts()) {
        if (c.listIds.contains(listId))
            out.append(c);
    }
    return out;
}

void tst_BrevoConnector::ageContacts()
{
    const QList<BrevoContact> all = m_sandbox->contacts();
    for (BrevoContact c : all) {
        c.modifiedAt = QDateTime::currentDateTimeUtc().addDays(-1);
        m_sandbox->putContact(c);
    }
}

bool tst_BrevoConnector::ensureEvidence(const QList<FieldSpec> &more)
{
    QList<FieldSpec> specs = more;
    for (const EvidenceField &f : ConsentMapping::evidenceFields(TargetPlatform::Brevo))
        specs.append({f.name, f.type, {}, {}});
    const auto r = await(m_connector->ensureFields({}, specs));
    return r && r->ok();
}

// ---------------------------------------------------------------------------------------------
// Source

void tst_BrevoConnector::factory()
{
    ConnectionSettings settings;
    settings.platform = TargetPlatform::Brevo;
    settings.apiKey = key;
    settings.baseUrl = QUrl(m_server->baseUrl().toString() + u"/v3"_s);
    auto source = ConnectorFactory::source(settings, m_network->client());
    auto target = ConnectorFactory::target(settings, m_network->client());
    QVERIFY(source);
    QVERIFY(target);
    QCOMPARE(source->platform(), TargetPlatform::Brevo);
    QCOMPARE(target->maxBatchSize(), BrevoConnector::kMaxBatch);
    AWAIT_OK(account, target->testConnection());
    QCOMPARE(account->value().name, u"Stagecoach Sandbox"_s);
}

void tst_BrevoConnector::testConnection()
{
    AWAIT_OK(account, m_connector->testConnection());
    QCOMPARE(account->value().name, u"Stagecoach Sandbox"_s);
    QCOMPARE(account->value().email, u"sandbox@example.com"_s);
    QCOMPARE(account->value().detail, u"Plan: free (300 sendLimit)"_s);
}

void tst_BrevoConnector::wrongKey()
{
    auto wrong = makeConnector(u"xkeysib-wrong"_s);
    const auto r = await(wrong->testConnection());
    QVERIFY(r);
    QVERIFY(!r->ok());
    QCOMPARE(r->error().httpStatus, 401);
    QCOMPARE(r->error().code, u"unauthorized"_s);
    QVERIFY2(r->error().message.contains(u"Brevo"_s), qPrintable(r->error().message));
    QVERIFY2(r->error().hint.contains(u"API key"_s), qPrintable(r->error().hint));
    QCOMPARE(r->error().where, u"GET /v3/account"_s);
}

void tst_BrevoConnector::audiencesPaged()
{
    // 51 more lists: two pages of 50 and one more.
    const qint64 folder = m_sandbox->addFolder(u"More"_s);
    for (int i = 0; i < 51; ++i)
        m_sandbox->addList(u"List %1"_s.arg(i), folder);
    m_sandbox->putContact(contact(u"a@example.com"_s, {m_firstList}));
    m_sandbox->putContact(contact(u"b@example.com"_s, {m_firstList}, true));
    AWAIT_OK(lists, m_connector->audiences());
    QCOMPARE(lists->value().size(), 52);
    QSet<QString> ids;
    for (const Audience &a : lists->value())
        ids.insert(a.id);
    QCOMPARE(ids.size(), 52);
    QCOMPARE(lists->value().first().id, QString::number(m_firstList));
    QCOMPARE(lists->value().first().name, u"Your first list"_s);
    QCOMPARE(lists->value().first().contacts, 2);
    QCOMPARE(lists->value().last().name, u"List 50"_s);
    QCOMPARE(lists->value().last().contacts, 0);
}

void tst_BrevoConnector::fields()
{
    AWAIT_OK(created, m_connector->ensureFields({}, {{u"OPTIN_TIME"_s, FieldType::Date, {}, {}},
                                                     {u"SCORE"_s, FieldType::Number, {}, {}}}));
    AWAIT_OK(fields, m_connector->fields(QString::number(m_firstList)));
    QHash<QString, FieldDefinition> byKey;
    for (const FieldDefinition &f : fields->value())
        byKey.insert(f.key, f);
    QCOMPARE(byKey.size(), 6);
    QCOMPARE(byKey.value(u"FIRSTNAME"_s).type, FieldType::Text);
    QCOMPARE(byKey.value(u"OPTIN_TIME"_s).type, FieldType::Date);
    QCOMPARE(byKey.value(u"OPTIN_TIME"_s).platformType, u"date"_s);
    QCOMPARE(byKey.value(u"SCORE"_s).type, FieldType::Number);
    QCOMPARE(byKey.value(u"SCORE"_s).platformType, u"float"_s);
}

void tst_BrevoConnector::contactsPaging_data()
{
    QTest::addColumn<int>("contacts");
    QTest::addColumn<bool>("ofList");
    QTest::addColumn<int>("pages");
    for (const bool ofList : {false, true}) {
        const char *where = ofList ? "list" : "account";
        QTest::addRow("%s 0", where) << 0 << ofList << 1;
        QTest::addRow("%s 1", where) << 1 << ofList << 1;
        QTest::addRow("%s exactly one page", where) << 3 << ofList << 1;
        QTest::addRow("%s one past", where) << 4 << ofList << 2;
        QTest::addRow("%s three pages", where) << 9 << ofList << 3;
    }
}

void tst_BrevoConnector::contactsPaging()
{
    QFETCH(int, contacts);
    QFETCH(bool, ofList);
    QFETCH(int, pages);
    const qint64 other = m_sandbox->addList(u"Other"_s, 1);
    for (int i = 0; i < contacts; ++i) {
        BrevoContact c = contact(u"p%1@example.com"_s.arg(i), {m_firstList});
        c.attributes = {{u"FIRSTNAME"_s, u"P%1"_s.arg(i)}};
        m_sandbox->putContact(c);
    }
    // Not on the list: only the account-wide listing has it.
    if (ofList)
        m_sandbox->putContact(contact(u"elsewhere@example.com"_s, {other}));
    int read = 0;
    const QList<SourceContact> all
        = readAll(ofList ? QString::number(m_firstList) : QString(), 3, &read);
    QCOMPARE(read, pages);
    QCOMPARE(all.size(), contacts);
    QSet<QString> emails;
    for (const SourceContact &c : all) {
        emails.insert(c.email);
        QCOMPARE(c.status, ContactStatus::Subscribed);
        QCOMPARE(c.fields.value(u"FIRSTNAME"_s), u"P"_s + c.email.mid(1).section(u'@', 0, 0));
    }
    QCOMPARE(emails.size(), contacts);
}

void tst_BrevoConnector::contactsLimitSized_data()
{
    QTest::addColumn<bool>("ofList");
    QTest::addColumn<int>("limit");
    QTest::newRow("account 1000") << false << BrevoSandbox::maxContactsPage;
    QTest::newRow("list 500") << true << BrevoSandbox::maxListContactsPage;
}

void tst_BrevoConnector::contactsLimitSized()
{
    // The platform's largest page (pageSize 0), exactly full and one past.
    QFETCH(bool, ofList);
    QFETCH(int, limit);
    for (int i = 0; i < limit; ++i)
        m_sandbox->putContact(contact(u"full%1@example.com"_s.arg(i), {m_firstList}));
    const QString audience = ofList ? QString::number(m_firstList) : QString();
    int pages = 0;
    QCOMPARE(readAll(audience, 0, &pages).size(), limit);
    QCOMPARE(pages, 1);
    m_sandbox->putContact(contact(u"onemore@example.com"_s, {m_firstList}));
    const QList<SourceContact> all = readAll(audience, 0, &pages);
    QCOMPARE(pages, 2);
    QCOMPARE(all.size(), limit + 1);
    QSet<QString> emails;
    for (const SourceContact &c : all)
        emails.insert(c.email);
    QCOMPARE(emails.size(), limit + 1);
    QVERIFY(emails.contains(u"onemore@example.com"_s));
}

void tst_BrevoConnector::contactStatuses()
{
    const qint64 other = m_sandbox->addList(u"Other"_s, 1);
    m_sandbox->putContact(contact(u"sub@example.com"_s, {m_firstList}));
    m_sandbox->putContact(contact(u"bounced@example.com"_s, {m_firstList}, true));
    m_sandbox->putContact(contact(u"spam@example.com"_s, {m_firstList}, true));
    m_sandbox->putContact(contact(u"unsub@example.com"_s, {m_firstList}, true));
    m_sandbox->putContact(contact(u"blockedonly@example.com"_s, {m_firstList}, true));
    m_sandbox->putContact(contact(u"nolist@example.com"_s, {}));
    m_sandbox->putContact(contact(u"otherlist@example.com"_s, {other}));
    m_sandbox->addBlockedContact(
        {u"bounced@example.com"_s, u"s@example.com"_s, u"hardBounce"_s, {}});
    m_sandbox->addBlockedContact(
        {u"spam@example.com"_s, u"s@example.com"_s, u"contactFlaggedAsSpam"_s, {}});
    m_sandbox->addBlockedContact(
        {u"unsub@example.com"_s, u"s@example.com"_s, u"unsubscribedViaEmail"_s, {}});
    // A blacklisted address that is not blocklisted anywhere stays unsubscribed (never
    // subscribed), and the blocklist of someone else changes nothing.
    m_sandbox->addBlockedContact({u"sub@example.com"_s, u"s@example.com"_s, u"hardBounce"_s, {}});

    const int before = m_sandbox->otherRequestsThisHour();
    int pages = 0;
    const QList<SourceContact> all = readAll({}, 2, &pages);
    QCOMPARE(pages, 4);
    QHash<QString, ContactStatus> status;
    for (const SourceContact &c : all)
        status.insert(c.email, c.status);
    QCOMPARE(status.size(), 7);
    QCOMPARE(status.value(u"sub@example.com"_s), ContactStatus::Subscribed);
    QCOMPARE(status.value(u"bounced@example.com"_s), ContactStatus::Cleaned);
    QCOMPARE(status.value(u"spam@example.com"_s), ContactStatus::Complained);
    QCOMPARE(status.value(u"unsub@example.com"_s), ContactStatus::Unsubscribed);
    QCOMPARE(status.value(u"blockedonly@example.com"_s), ContactStatus::Unsubscribed);
    QCOMPARE(status.value(u"nolist@example.com"_s), ContactStatus::Transactional);
    QCOMPARE(status.value(u"otherlist@example.com"_s), ContactStatus::Subscribed);
    // The blocklist was read once for the whole run, though three pages had blacklisted contacts.
    QCOMPARE(m_sandbox->otherRequestsThisHour() - before, 1);

    // Of one list, a contact of another list is not on it.
    const QList<SourceContact> ofList = readAll(QString::number(m_firstList), 0, &pages);
    QCOMPARE(ofList.size(), 5);
    for (const SourceContact &c : ofList)
        QVERIFY(c.status != ContactStatus::Subscribed || c.email == u"sub@example.com"_s);
}

void tst_BrevoConnector::changedSince()
{
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-10);
    for (int i = 0; i < 4; ++i) {
        BrevoContact c = contact(u"old%1@example.com"_s.arg(i), {m_firstList});
        c.createdAt = old;
        c.modifiedAt = old;
        m_sandbox->putContact(c);
    }
    m_sandbox->putContact(contact(u"new1@example.com"_s, {m_firstList}));
    m_sandbox->putContact(contact(u"new2@example.com"_s, {m_firstList}));
    QVERIFY(m_connector->features().testFlag(SourceConnector::Feature::ChangesSince));
    for (const QString &audience : {QString(), QString::number(m_firstList)}) {
        int pages = 0;
        const QList<SourceContact> changed
            = readAll(audience, 0, &pages, QDateTime::currentDateTimeUtc().addDays(-1));
        QCOMPARE(changed.size(), 2);
        QCOMPARE(changed.at(0).email, u"new1@example.com"_s);
        QCOMPARE(changed.at(1).email, u"new2@example.com"_s);
    }
}

void tst_BrevoConnector::templatesAndContent()
{
    BrevoTemplate t;
    t.name = u"Welcome"_s;
    t.subject = u"Hello"_s;
    t.senderEmail = u"news@example.com"_s;
    t.htmlContent = u"<p>Hello {{ contact.FIRSTNAME }}</p>"_s;
    const qint64 first = m_sandbox->addTemplate(t);
    t.name = u"Goodbye"_s;
    t.isActive = false;
    m_sandbox->addTemplate(t);
    AWAIT_OK(list, m_connector->templates());
    QCOMPARE(list->value().size(), 2);
    QCOMPARE(list->value().at(0).name, u"Welcome"_s);
    QCOMPARE(list->value().at(0).subject, u"Hello"_s);
    QVERIFY(list->value().at(0).active);
    QVERIFY(!list->value().at(1).active);
    QVERIFY(list->value().at(0).html.isEmpty());
    AWAIT_OK(content, m_connector->templateContent(QString::number(first)));
    QCOMPARE(content->value().html, u"<p>Hello {{ contact.FIRSTNAME }}</p>"_s);
    const auto missing = await(m_connector->templateContent(u"99"_s));
    QVERIFY(missing && !missing->ok());
    QCOMPARE(missing->error().httpStatus, 404);
}

void tst_BrevoConnector::campaigns()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    BrevoCampaign old;
    old.name = u"Old"_s;
    old.createdAt = now.addDays(-400);
    old.sentDate = now.addDays(-399);
    m_sandbox->addCampaign(old);
    BrevoCampaign recent;
    recent.name = u"Recent"_s;
    recent.subject = u"News"_s;
    recent.createdAt = now.addDays(-3);
    recent.sentDate = now.addDays(-2);
    recent.sent = 100;
    recent.uniqueViews = 40;
    recent.uniqueClicks = 10;
    recent.hardBounces = 2;
    recent.softBounces = 3;
    recent.unsubscriptions = 1;
    recent.complaints = 1;
    m_sandbox->addCampaign(recent);
    BrevoCampaign draft;
    draft.name = u"Draft"_s;
    draft.status = u"draft"_s;
    m_sandbox->addCampaign(draft);

    AWAIT_OK(all, m_connector->campaigns({}));
    QCOMPARE(all->value().size(), 3);
    AWAIT_OK(since, m_connector->campaigns(now.addDays(-30)));
    QCOMPARE(since->value().size(), 2);
    const CampaignInfo &c = since->value().at(0);
    QCOMPARE(c.name, u"Recent"_s);
    QCOMPARE(c.subject, u"News"_s);
    QCOMPARE(c.status, u"sent"_s);
    QCOMPARE(c.sentAt.toSecsSinceEpoch(), recent.sentDate.toSecsSinceEpoch());
    QVERIFY(c.hasReport);
    QCOMPARE(c.recipients, 100);
    QCOMPARE(c.uniqueOpens, 40);
    QCOMPARE(c.uniqueClicks, 10);
    QCOMPARE(c.hardBounces, 2);
    QCOMPARE(c.softBounces, 3);
    QCOMPARE(c.unsubscribes, 1);
    QCOMPARE(c.complaints, 1);
    QCOMPARE(since->value().at(1).name, u"Draft"_s);
    QVERIFY(!since->value().at(1).sentAt.isValid());
}

void tst_BrevoConnector::sendingDomainsAndSegments()
{
    m_sandbox->addDomain(u"example.com"_s, true, true);
    m_sandbox->addDomain(u"example.org"_s, false, true);
    AWAIT_OK(domains, m_connector->sendingDomains());
    QCOMPARE(domains->value().size(), 2);
    QCOMPARE(domains->value().at(0).domain, u"example.com"_s);
    QVERIFY(domains->value().at(0).authenticated);
    QVERIFY(domains->value().at(0).verified);
    QVERIFY(!domains->value().at(1).authenticated);

    m_sandbox->addSegment(u"Openers"_s, u"Engagement"_s);
    m_sandbox->addSegment(u"Buyers"_s, u"Shop"_s);
    AWAIT_OK(segments, m_connector->segments({}));
    QCOMPARE(segments->value().size(), 2);
    QCOMPARE(segments->value().at(1).name, u"Buyers"_s);
    QCOMPARE(segments->value().at(1).kind, u"segment"_s);
}

void tst_BrevoConnector::unsupported()
{
    const auto f = m_connector->features();
    QVERIFY(!f.testFlag(SourceConnector::Feature::Tags));
    QVERIFY(!f.testFlag(SourceConnector::Feature::Automations));
    QVERIFY(!f.testFlag(SourceConnector::Feature::Integrations));
    QVERIFY(f.testFlag(SourceConnector::Feature::Campaigns));
    const auto tags = await(m_connector->tags({}));
    const auto automations = await(m_connector->automations());
    const auto integrations = await(m_connector->integrations());
    QVERIFY(tags && !tags->ok());
    QVERIFY(automations && !automations->ok());
    QVERIFY(integrations && !integrations->ok());
    QVERIFY(tags->error().message.contains(u"Brevo"_s));
    QCOMPARE(m_server->requestCount(), 0);
}

void tst_BrevoConnector::faults_data()
{
    QTest::addColumn<int>("kinds");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<double>("rate");
    QTest::newRow("429 with Retry-After") << int(SandboxFaults::TooManyRequests) << 1 << 0.15;
    QTest::newRow("429 with x-sib-ratelimit-reset only")
        << int(SandboxFaults::TooManyRequests) << 0 << 0.15;
    QTest::newRow("503") << int(SandboxFaults::Unavailable) << 0 << 0.3;
    QTest::newRow("stall") << int(SandboxFaults::Stall) << 0 << 0.2;
    QTest::newRow("truncated body") << int(SandboxFaults::TruncatedBody) << 0 << 0.3;
}

void tst_BrevoConnector::faults()
{
    QFETCH(int, kinds);
    QFETCH(int, retryAfter);
    QFETCH(double, rate);
    m_connector->setRequestTimeout(300);
    for (int i = 0; i < 12; ++i) {
        m_sandbox->putContact(contact(u"f%1@example.com"_s.arg(i), {m_firstList}, i % 4 == 0));
        if (i % 4 == 0)
            m_sandbox->addBlockedContact({u"f%1@example.com"_s.arg(i), {}, u"hardBounce"_s, {}});
    }
    AWAIT_OK(list, m_connector->ensureList(u"Faults"_s));
    QVERIFY(ensureEvidence());
    m_server->setFaults({rate, 3, kinds, retryAfter, 0});

    int pages = 0;
    const QList<SourceContact> all = readAll(QString::number(m_firstList), 4, &pages);
    QCOMPARE(pages, 3);
    QCOMPARE(all.size(), 12);
    QSet<QString> emails;
    for (const SourceContact &c : all) {
        emails.insert(c.email);
        QCOMPARE(c.status, c.email.mid(1).section(u'@', 0, 0).toInt() % 4 == 0
                               ? ContactStatus::Cleaned
                               : ContactStatus::Subscribed);
    }
    QCOMPARE(emails.size(), 12);
    AWAIT_OK(lists, m_connector->audiences());
    QCOMPARE(lists->value().size(), 3);

    QList<TargetContact> batch;
    for (int i = 0; i < 10; ++i)
        batch.append(targetContact(u"w%1@example.com"_s.arg(i), ContactStatus::Subscribed));
    AWAIT_OK(written, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(written->value().written, 10);
    QVERIFY(written->value().failed.isEmpty());
    m_server->setFaults({});
    QCOMPARE(contactsIn(list->value().id.toLongLong()).size(), 10);
    QVERIFY(m_server->requestCount() > 0);
}

void tst_BrevoConnector::failsClearly_data()
{
    QTest::addColumn<int>("kinds");
    QTest::addColumn<QString>("says");
    QTest::addColumn<int>("status");
    QTest::newRow("503") << int(SandboxFaults::Unavailable) << u"HTTP 503"_s << 503;
    QTest::newRow("stall") << int(SandboxFaults::Stall) << u"did not answer"_s << 0;
    QTest::newRow("truncated") << int(SandboxFaults::TruncatedBody) << u"garbled"_s << 0;
}

void tst_BrevoConnector::failsClearly()
{
    QFETCH(int, kinds);
    QFETCH(QString, says);
    QFETCH(int, status);
    startClient({.maxAttempts = 2, .baseDelayMs = 5, .maxDelayMs = 10, .maxServerDelayMs = 100});
    m_connector->setRequestTimeout(200);
    m_server->setFaults({1.0, 1, kinds, 0, 0});
    const auto r = await(m_connector->audiences());
    QVERIFY(r);
    QVERIFY(!r->ok());
    QVERIFY2(r->error().message.contains(u"Brevo"_s), qPrintable(r->error().message));
    QVERIFY2(r->error().message.contains(says), qPrintable(r->error().message));
    QCOMPARE(r->error().httpStatus, status);
    QCOMPARE(r->error().where, u"GET /v3/contacts/lists"_s);
    QVERIFY(!r->error().hint.isEmpty());
}

void tst_BrevoConnector::rateLimitHonoured()
{
    // Enforced 10/s: a burst of 40 contact requests all succeed; the client learns the
    // x-sib-ratelimit headers and paces itself, no 429 reaches the caller.
    for (int i = 0; i < 5; ++i)
        m_sandbox->putContact(contact(u"r%1@example.com"_s.arg(i), {m_firstList}));
    m_sandbox->setEnforceRateLimit(true);
    startClient({.maxAttempts = 1, .baseDelayMs = 5, .maxDelayMs = 10, .maxServerDelayMs = 5000});
    QList<QFuture<Result<ContactPage>>> burst;
    ContactQuery q;
    q.pageSize = 1;
    for (int i = 0; i < 40; ++i)
        burst.append(m_connector->contacts(QString::number(m_firstList), q));
    for (auto &f : burst) {
        const auto r = await(f, 60000);
        QVERIFY2(r && r->ok(), describe(r).constData());
        QCOMPARE(r->value().contacts.size(), 1);
    }
    QCOMPARE(m_server->requestCount(), 40);
}

// ---------------------------------------------------------------------------------------------
// Target

void tst_BrevoConnector::ensureListTwice()
{
    const qsizetype listsBefore = m_sandbox->lists().size();
    AWAIT_OK(first, m_connector->ensureList(u"Newsletter"_s));
    QVERIFY(first->value().created);
    QCOMPARE(first->value().name, u"Newsletter"_s);
    QCOMPARE(m_sandbox->lists().size(), listsBefore + 2);
    const BrevoList &marketing = m_sandbox->lists().at(listsBefore);
    const BrevoList &holding = m_sandbox->lists().at(listsBefore + 1);
    QCOMPARE(QString::number(marketing.id), first->value().id);
    QCOMPARE(marketing.name, u"Newsletter"_s);
    QCOMPARE(holding.name, u"Newsletter — do not mail"_s);
    QCOMPARE(holding.folderId, marketing.folderId);
    QCOMPARE(m_sandbox->folders().last().name, BrevoConnector::folderName());
    QCOMPARE(m_sandbox->folders().last().id, marketing.folderId);

    // Again, by another connector that learnt nothing: found by name, nothing created.
    auto again = makeConnector();
    AWAIT_OK(second, again->ensureList(u"Newsletter"_s));
    QVERIFY(!second->value().created);
    QCOMPARE(second->value().id, first->value().id);
    QCOMPARE(m_sandbox->lists().size(), listsBefore + 2);
    QCOMPARE(m_sandbox->folders().size(), 2);

    // A missing holding list is created on its own, in the existing folder.
    m_sandbox->addList(u"Solo"_s, 1);
    AWAIT_OK(solo, again->ensureList(u"Solo"_s));
    QVERIFY(!solo->value().created);
    QCOMPARE(m_sandbox->lists().last().name, u"Solo — do not mail"_s);
    QCOMPARE(m_sandbox->folders().size(), 2);
}

void tst_BrevoConnector::ensureFieldsTwice()
{
    QList<FieldSpec> specs;
    for (const EvidenceField &f : ConsentMapping::evidenceFields(TargetPlatform::Brevo))
        specs.append({f.name, f.type, {}, {}});
    specs.append({u"firstname"_s, FieldType::Text, {}, {}}); // exists, other case
    AWAIT_OK(first, m_connector->ensureFields({}, specs));
    QCOMPARE(first->value().size(), specs.size());
    for (int i = 0; i < specs.size() - 1; ++i) {
        QVERIFY(first->value().at(i).created);
        QCOMPARE(first->value().at(i).id, specs.at(i).name);
        QCOMPARE(first->value().at(i).type, specs.at(i).type);
    }
    QVERIFY(!first->value().last().created);
    QCOMPARE(first->value().last().id, u"FIRSTNAME"_s);
    QCOMPARE(m_sandbox->attributes().size(), 4 + specs.size() - 1);
    for (const BrevoAttribute &a : m_sandbox->attributes()) {
        if (a.name == u"OPTIN_TIME" || a.name == u"SUPPRESSION_TIME")
            QCOMPARE(a.type, u"date"_s);
        if (a.name == u"SOURCE_STATUS")
            QCOMPARE(a.type, u"text"_s);
        QCOMPARE(a.category, u"normal"_s);
    }

    AWAIT_OK(second, m_connector->ensureFields({}, specs));
    for (const EnsuredItem &item : second->value())
        QVERIFY(!item.created);
    QCOMPARE(second->value().at(0).type, FieldType::Date);
    QCOMPARE(m_sandbox->attributes().size(), 4 + specs.size() - 1);
}

void tst_BrevoConnector::transferEveryStatus()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    const qint64 listId = list->value().id.toLongLong();
    const qint64 holdingId = m_sandbox->lists().last().id;
    QList<FieldSpec> specs;
    for (const EvidenceField &f : ConsentMapping::evidenceFields(TargetPlatform::Brevo))
        specs.append({f.name, f.type, {}, {}});
    AWAIT_OK(fields, m_connector->ensureFields(list->value().id, specs));

    // Blocklisted on the target already; the source says subscribed.
    BrevoContact blocked = contact(u"blocked@example.com"_s, {}, true);
    m_sandbox->putContact(blocked);

    ConsentEvidence evidence;
    evidence.optinTime = QDateTime(QDate(2024, 1, 2), QTime(10, 0), Qt::UTC);
    evidence.optinIp = u"192.0.2.1"_s;
    evidence.suppressionReason = u"too many mails"_s;
    QList<TargetContact> suppressions;
    QList<TargetContact> others;
    QHash<QString, ContactStatus> source;
    for (const ContactStatus status : kAllContactStatuses) {
        const QString email = ContactStatuses::key(status) + u"@example.com"_s;
        TargetContact t = targetContact(email, status, evidence);
        t.fields.insert(u"FIRSTNAME"_s, u"Name of %1"_s.arg(email));
        source.insert(email, status);
        (t.write.wave == WriteWave::Suppression ? suppressions : others).append(t);
    }
    TargetContact blockedSub = targetContact(u"blocked@example.com"_s, ContactStatus::Subscribed);
    others.append(blockedSub);
    QCOMPARE(suppressions.size(), 3);
    QCOMPARE(others.size(), 6);

    AWAIT_OK(wave0, m_connector->writeSuppressions(list->value().id, suppressions));
    QCOMPARE(wave0->value().written, 3);
    QVERIFY(wave0->value().failed.isEmpty());
    QVERIFY(!wave0->value().jobId.isEmpty());
    AWAIT_OK(rest, m_connector->upsertContacts(list->value().id, others));
    QCOMPARE(rest->value().written, 6);
    QVERIFY(rest->value().failed.isEmpty());

    for (const BrevoContact &c : m_sandbox->contacts()) {
        const QString email = c.email;
        if (email == u"blocked@example.com") {
            QVERIFY(c.emailBlacklisted); // never lifted
            QCOMPARE(c.listIds, QList<qint64>{listId});
            continue;
        }
        const ContactStatus status = source.value(email);
        const ConsentLevel level = ConsentMapping::level(status);
        QCOMPARE(c.emailBlacklisted, level == ConsentLevel::Suppressed);
        QCOMPARE(c.listIds, QList<qint64>{level == ConsentLevel::Marketable ? listId : holdingId});
        QCOMPARE(c.attributes.value(u"SOURCE_STATUS"_s).toString(), ContactStatuses::key(status));
        QCOMPARE(c.attributes.value(u"OPTIN_TIME"_s).toString(), u"2024-01-02"_s);
        QCOMPARE(c.attributes.value(u"OPTIN_IP"_s).toString(), u"192.0.2.1"_s);
        QCOMPARE(c.attributes.value(u"SUPPRESSION_REASON"_s).toString(), u"too many mails"_s);
        QCOMPARE(c.attributes.value(u"FIRSTNAME"_s).toString(), u"Name of "_s + email);
    }

    // Read back: every contact once, each status as the mapping expects.
    QHash<QString, ContactStatus> onTarget;
    ContactQuery q;
    q.pageSize = 4;
    int pages = 0;
    do {
        AWAIT_OK(page, m_connector->readContacts(list->value().id, q));
        for (const TargetContactRecord &r : page->value().contacts) {
            QVERIFY2(!onTarget.contains(r.email), qPrintable(r.email));
            onTarget.insert(r.email, ConsentMapping::statusOnTarget(r.state));
        }
        q.cursor = page->value().next;
        ++pages;
    } while (!q.cursor.isEmpty() && pages < 20);
    QCOMPARE(onTarget.size(), 9);
    for (const TargetContact &t : suppressions + others) {
        if (t.email == u"blocked@example.com")
            QCOMPARE(onTarget.value(t.email), ContactStatus::Unsubscribed);
        else
            QCOMPARE(onTarget.value(t.email), *t.write.expectedOnTarget);
        QVERIFY(!ConsentMapping::isConsentViolation(t.write.source, onTarget.value(t.email)));
    }

    AWAIT_OK(counts, m_connector->countsByStatus(list->value().id));
    QHash<ContactStatus, qint64> expected;
    for (const ContactStatus s : onTarget)
        ++expected[s];
    QCOMPARE(counts->value(), expected);
    QCOMPARE(counts->value().value(ContactStatus::Subscribed), 1);
    QCOMPARE(counts->value().value(ContactStatus::Unsubscribed), 2);
    QCOMPARE(counts->value().value(ContactStatus::Cleaned), 1);
    QCOMPARE(counts->value().value(ContactStatus::Complained), 1);
}

void tst_BrevoConnector::listUnsubscribedReadBack()
{
    // Accounts with per-list unsubscription: listUnsubscribed names the marketing list.
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    const qint64 listId = list->value().id.toLongLong();
    BrevoContact left = contact(u"left@example.com"_s, {listId});
    left.listUnsubscribed = {listId};
    m_sandbox->putContact(left);
    m_sandbox->putContact(contact(u"stays@example.com"_s, {listId}));
    AWAIT_OK(page, m_connector->readContacts(list->value().id, {}));
    QCOMPARE(page->value().contacts.size(), 2);
    QCOMPARE(page->value().next, u"h0"_s); // the holding list comes next: empty
    ContactQuery holding;
    holding.cursor = page->value().next;
    AWAIT_OK(rest, m_connector->readContacts(list->value().id, holding));
    QVERIFY(rest->value().contacts.isEmpty());
    QVERIFY(rest->value().next.isEmpty());
    const TargetContactRecord &r = page->value().contacts.at(0);
    QCOMPARE(r.email, u"left@example.com"_s);
    QVERIFY(r.state.brevoInMarketingList);
    QVERIFY(r.state.brevoUnsubscribedFromList);
    QVERIFY(!r.state.brevoEmailBlacklisted);
    QCOMPARE(ConsentMapping::statusOnTarget(r.state), ContactStatus::Unsubscribed);
    AWAIT_OK(counts, m_connector->countsByStatus(list->value().id));
    QCOMPARE(counts->value().value(ContactStatus::Unsubscribed), 1);
    QCOMPARE(counts->value().value(ContactStatus::Subscribed), 1);
    QCOMPARE(counts->value().size(), 2);

    // As a source: unsubscribed from that list, never subscribed.
    int pages = 0;
    const QList<SourceContact> read = readAll(list->value().id, 0, &pages);
    QCOMPARE(read.size(), 2);
    QCOMPARE(read.at(0).status, ContactStatus::Unsubscribed);
    QCOMPARE(read.at(0).platformStatus, u"listUnsubscribed"_s);
    QCOMPARE(read.at(1).status, ContactStatus::Subscribed);
}

void tst_BrevoConnector::invalidAddress()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    QList<TargetContact> batch;
    for (const QString &email : {u"one@example.com"_s, u"not-an-email"_s, u"two@example.com"_s,
                                 u"three@example.com"_s, u""_s})
        batch.append(targetContact(email, ContactStatus::Subscribed));
    AWAIT_OK(r, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(r->value().written, 3);
    QCOMPARE(r->value().failed.size(), 2);
    QCOMPARE(r->value().written + r->value().failed.size(), batch.size());
    // The one without an address is refused before sending; Brevo drops the malformed one.
    QCOMPARE(r->value().failed.at(0).email, QString());
    QCOMPARE(r->value().failed.at(0).code, u"invalid_email"_s);
    QCOMPARE(r->value().failed.at(1).email, u"not-an-email"_s);
    QCOMPARE(r->value().failed.at(1).code, u"not_written"_s);
    QVERIFY(r->value().failed.at(1).message.contains(u"Brevo"_s));
    QCOMPARE(contactsIn(list->value().id.toLongLong()).size(), 3);
    // import, one poll, one listing, one look-up of the missing address
    QCOMPARE(r->value().requests, 4);
}

void tst_BrevoConnector::sameBatchTwice()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    AWAIT_OK(fields, m_connector->ensureFields(list->value().id,
                                               {{u"SOURCE_STATUS"_s, FieldType::Text, {}, {}}}));
    QList<TargetContact> batch;
    batch.append(targetContact(u"s1@example.com"_s, ContactStatus::Subscribed));
    batch.append(targetContact(u"p1@example.com"_s, ContactStatus::Pending));
    batch.append(targetContact(u"s2@example.com"_s, ContactStatus::Subscribed));
    AWAIT_OK(first, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(first->value().written, 3);
    const auto snapshot = [this] {
        QStringList out;
        for (const BrevoContact &c : m_sandbox->contacts()) {
            QStringList lists;
            for (const qint64 id : c.listIds)
                lists.append(QString::number(id));
            out.append(u"%1 %2 %3 %4 %5"_s.arg(c.email)
                           .arg(c.id)
                           .arg(c.emailBlacklisted)
                           .arg(lists.join(u','),
                                QString::fromUtf8(QJsonDocument(c.attributes).toJson())));
        }
        return out;
    };
    const QStringList before = snapshot();
    // Modified long ago: the second import changes nothing, so the modifiedSince read-back
    // does not show them.
    ageContacts();
    AWAIT_OK(second, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(second->value().written, 3);
    QVERIFY(second->value().failed.isEmpty());
    QCOMPARE(snapshot(), before);
    QCOMPARE(m_sandbox->contacts().size(), 3);
    // Nothing changed, so nothing shows as modified: two imports with a poll and a read-back
    // each, then the three contacts asked for by address.
    QCOMPARE(second->value().requests, 2 * 3 + 3);
}

void tst_BrevoConnector::sameLargeBatchTwice()
{
    // Many unchanged contacts are found by reading the whole list, not one request each.
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    QList<TargetContact> batch;
    for (int i = 0; i < 120; ++i)
        batch.append(targetContact(u"l%1@example.com"_s.arg(i), ContactStatus::Subscribed));
    batch.insert(60, targetContact(u"bad address"_s, ContactStatus::Subscribed));
    AWAIT_OK(first, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(first->value().written, 120);
    QCOMPARE(first->value().failed.size(), 1);
    ageContacts();
    AWAIT_OK(second, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(second->value().written, 120);
    QCOMPARE(second->value().failed.size(), 1);
    QCOMPARE(second->value().failed.at(0).email, u"bad address"_s);
    QCOMPARE(second->value().failed.at(0).code, u"not_written"_s);
    // import, poll, modifiedSince read-back (empty), the whole list (one page), one look-up
    QCOMPARE(second->value().requests, 5);
    QCOMPARE(contactsIn(list->value().id.toLongLong()).size(), 120);
}

void tst_BrevoConnector::readBackStopsAtTheImport()
{
    // A later import's read-back reads newest first and stops once it has seen its own rows, not
    // every contact changed in the modifiedSince window (600 of them here: two pages).
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    QList<TargetContact> earlier;
    for (int i = 0; i < 600; ++i)
        earlier.append(targetContact(u"e%1@example.com"_s.arg(i), ContactStatus::Subscribed));
    AWAIT_OK(first, m_connector->upsertContacts(list->value().id, earlier));
    QCOMPARE(first->value().written, 600);
    AWAIT_OK(later, m_connector->upsertContacts(
                        list->value().id, {targetContact(u"new1@example.com"_s, ContactStatus::Subscribed),
                                           targetContact(u"new2@example.com"_s, ContactStatus::Subscribed)}));
    QCOMPARE(later->value().written, 2);
    QVERIFY(later->value().failed.isEmpty());
    // import, poll, one page of the read-back
    QCOMPARE(later->value().requests, 3);
}

void tst_BrevoConnector::pollsUntilCompleted()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    m_sandbox->setImportPolls(3);
    const int processesBefore = m_sandbox->processRequests();
    AWAIT_OK(r,
             m_connector->upsertContacts(
                 list->value().id, {targetContact(u"x@example.com"_s, ContactStatus::Subscribed)}));
    QCOMPARE(r->value().written, 1);
    QCOMPARE(m_sandbox->processRequests() - processesBefore, 4);
    QCOMPARE(r->value().requests, 1 + 4 + 1);

    // Giving up on a process that never completes: the contacts that are not there are named.
    m_sandbox->setImportPolls(1000);
    m_connector->setPolling(5, 10, 30);
    AWAIT_OK(late,
             m_connector->upsertContacts(
                 list->value().id, {targetContact(u"x@example.com"_s, ContactStatus::Subscribed),
                                    targetContact(u"bad address"_s, ContactStatus::Subscribed)}));
    QCOMPARE(late->value().written, 1);
    QCOMPARE(late->value().failed.size(), 1);
    QCOMPARE(late->value().failed.at(0).code, u"import_unfinished"_s);
}

void tst_BrevoConnector::largeBatchSplit()
{
    // 5,000 contacts with 2 KB each: over 8 MB, so two imports, every contact written once.
    AWAIT_OK(list, m_connector->ensureList(u"Big"_s));
    QVERIFY(ensureEvidence({{u"NOTE"_s, FieldType::Text, {}, {}}}));
    const QString note(2000, u'n');
    QList<TargetContact> batch;
    for (int i = 0; i < BrevoConnector::kMaxBatch; ++i) {
        TargetContact t = targetContact(u"big%1@example.com"_s.arg(i), ContactStatus::Subscribed);
        t.fields.insert(u"NOTE"_s, note);
        batch.append(t);
    }
    const auto r = await(m_connector->upsertContacts(list->value().id, batch), 120000);
    QVERIFY2(r && r->ok(), describe(r).constData());
    QCOMPARE(r->value().written, BrevoConnector::kMaxBatch);
    QVERIFY(r->value().failed.isEmpty());
    QCOMPARE(r->value().jobId.count(u','), 1);
    QCOMPARE(contactsIn(list->value().id.toLongLong()).size(), BrevoConnector::kMaxBatch);
    QCOMPARE(m_sandbox->contact(u"big4999@example.com"_s)->attributes.value(u"NOTE"_s).toString(),
             note);

    batch.append(targetContact(u"toomany@example.com"_s, ContactStatus::Subscribed));
    const auto tooMany = await(m_connector->upsertContacts(list->value().id, batch));
    QVERIFY(tooMany && !tooMany->ok());
}

void tst_BrevoConnector::wrongWave()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    const TargetContact sub = targetContact(u"sub@example.com"_s, ContactStatus::Subscribed);
    const TargetContact unsub = targetContact(u"un@example.com"_s, ContactStatus::Unsubscribed);
    AWAIT_OK(a, m_connector->writeSuppressions(list->value().id, {sub, unsub}));
    QCOMPARE(a->value().written, 1);
    QCOMPARE(a->value().failed.size(), 1);
    QCOMPARE(a->value().failed.at(0).email, u"sub@example.com"_s);
    QCOMPARE(a->value().failed.at(0).code, u"wrong_wave"_s);
    AWAIT_OK(b, m_connector->upsertContacts(list->value().id, {unsub}));
    QCOMPARE(b->value().written, 0);
    QCOMPARE(b->value().failed.at(0).code, u"wrong_wave"_s);
    QCOMPARE(b->value().requests, 0);
    QVERIFY(!m_sandbox->contact(u"sub@example.com"_s));
}

void tst_BrevoConnector::unknownAttributeRefused()
{
    // Brevo would drop values of attributes it lacks: the batch is refused, nothing sent.
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    AWAIT_OK(fields,
             m_connector->ensureFields({}, {{u"SOURCE_STATUS"_s, FieldType::Text, {}, {}}}));
    TargetContact t = targetContact(u"a@example.com"_s, ContactStatus::Subscribed);
    t.fields.insert(u"FAVOURITE"_s, u"blue"_s);
    t.fields.insert(u"IGNORED"_s, QVariant()); // null: left unchanged, needs no attribute
    const int before = m_server->requestCount();
    const auto r = await(m_connector->upsertContacts(list->value().id, {t}));
    QVERIFY(r && !r->ok());
    QVERIFY2(r->error().message.contains(u"FAVOURITE"_s), qPrintable(r->error().message));
    QVERIFY(!r->error().message.contains(u"IGNORED"_s));
    QCOMPARE(m_server->requestCount(), before); // the attribute names were known already
    QVERIFY(!m_sandbox->contact(u"a@example.com"_s));

    // Once the attribute exists, the same batch goes through.
    AWAIT_OK(more, m_connector->ensureFields({}, {{u"FAVOURITE"_s, FieldType::Text, {}, {}}}));
    AWAIT_OK(ok, m_connector->upsertContacts(list->value().id, {t}));
    QCOMPARE(ok->value().written, 1);
    QCOMPARE(m_sandbox->contact(u"a@example.com"_s)->attributes.value(u"FAVOURITE"_s).toString(),
             u"blue"_s);
}

void tst_BrevoConnector::writeTemplate()
{
    TemplateContent content{u"Welcome"_s, u"Hello"_s, u"<p>Hello {{ contact.FIRSTNAME }}</p>"_s,
                            u"News"_s, u"news@example.com"_s};
    AWAIT_OK(first, m_connector->writeTemplate(content));
    QVERIFY(first->value().created);
    QCOMPARE(m_sandbox->templates().size(), 1);
    const BrevoTemplate &t = m_sandbox->templates().first();
    QCOMPARE(QString::number(t.id), first->value().id);
    QCOMPARE(t.subject, u"Hello"_s);
    QCOMPARE(t.senderEmail, u"news@example.com"_s);
    QCOMPARE(t.senderName, u"News"_s);
    QCOMPARE(t.htmlContent, content.html);
    QVERIFY(t.isActive);
    const int requests = m_server->requestCount();
    AWAIT_OK(second, m_connector->writeTemplate(content));
    QVERIFY(!second->value().created);
    QCOMPARE(second->value().id, first->value().id);
    QCOMPARE(m_sandbox->templates().size(), 1);
    QCOMPARE(m_server->requestCount(), requests); // the names are known: no request at all

    // Another connector finds it by name, and an existing template of the account as well.
    BrevoTemplate existing;
    existing.name = u"Existing"_s;
    existing.subject = u"S"_s;
    existing.senderEmail = u"news@example.com"_s;
    existing.htmlContent = u"<p>Already there</p>"_s;
    const qint64 existingId = m_sandbox->addTemplate(existing);
    auto other = makeConnector();
    AWAIT_OK(found, other->writeTemplate(content));
    QVERIFY(!found->value().created);
    QCOMPARE(found->value().id, first->value().id);
    TemplateContent same = content;
    same.name = u"Existing"_s;
    AWAIT_OK(foundExisting, other->writeTemplate(same));
    QVERIFY(!foundExisting->value().created);
    QCOMPARE(foundExisting->value().id, QString::number(existingId));
    QCOMPARE(m_sandbox->templates().size(), 2);

    content.name = u"No sender"_s;
    content.senderEmail.clear();
    const auto refused = await(m_connector->writeTemplate(content));
    QVERIFY(refused && !refused->ok());
    QCOMPARE(m_sandbox->templates().size(), 2);
}

// ---------------------------------------------------------------------------------------------
// Tags

QMap<QString, QStringList> tst_BrevoConnector::listsInFolder() const
{
    qint64 folder = 0;
    for (const BrevoFolder &f : m_sandbox->folders()) {
        if (f.name == BrevoConnector::folderName())
            folder = f.id;
    }
    QMap<QString, QStringList> out;
    for (const BrevoList &l : m_sandbox->lists()) {
        if (folder == 0 || l.folderId != folder)
            continue;
        QStringList emails;
        for (const BrevoContact &c : contactsIn(l.id))
            emails.append(c.email);
        emails.sort();
        if (out.contains(l.name))
            emails.prepend(u"SECOND LIST OF THIS NAME"_s);
        out.insert(l.name, emails);
    }
    return out;
}

void tst_BrevoConnector::tagsBecomeLists()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    QList<TargetContact> batch;
    QStringList vip;
    // More contacts on one tag than one addContactToList call takes (150).
    for (int i = 0; i < 160; ++i) {
        TargetContact t = targetContact(u"s%1@example.com"_s.arg(i, 3, 10, QChar(u'0')),
                                        ContactStatus::Subscribed);
        t.tags = {u"VIP"_s};
        vip.append(t.email);
        batch.append(t);
    }
    // Two contacts sharing tags, one of them with spaces around it (and given twice).
    batch[0].tags = {u"VIP"_s, u"  Spring sale  "_s, u"Beta"_s, u"Spring sale"_s};
    batch[1].tags = {u"Beta"_s, u"Spring sale"_s, u"VIP"_s};
    // Pending: on the holding list, so only on the do-not-mail tag lists.
    TargetContact pending = targetContact(u"p1@example.com"_s, ContactStatus::Pending);
    pending.tags = {u"VIP"_s, u" Spring sale"_s};
    batch.append(pending);
    TargetContact pending2 = targetContact(u"p2@example.com"_s, ContactStatus::Pending);
    pending2.tags = {u"VIP"_s};
    batch.append(pending2);
    TargetContact plain = targetContact(u"plain@example.com"_s, ContactStatus::Subscribed);
    batch.append(plain);
    QVERIFY(!pending.write.brevo.marketingList);
    QVERIFY(batch.at(0).write.brevo.marketingList);

    AWAIT_OK(first, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(first->value().written, 163);
    QVERIFY(first->value().failed.isEmpty());
    // Two imports with a poll and a read-back each; then adds: Beta 1, Spring sale 1, VIP 2
    // (150 + 10), Spring sale do-not-mail 1, VIP do-not-mail 1.
    QCOMPARE(first->value().requests, 2 * 3 + 6);

    QStringList marketing = vip;
    marketing.append(u"plain@example.com"_s);
    marketing.sort();
    const QString dnm = u" — do not mail"_s;
    const QMap<QString, QStringList> expected{
        {u"Migration"_s, marketing},
        {u"Migration"_s + dnm, {u"p1@example.com"_s, u"p2@example.com"_s}},
        {u"Tag: Beta"_s, {u"s000@example.com"_s, u"s001@example.com"_s}},
        {u"Tag: Spring sale"_s, {u"s000@example.com"_s, u"s001@example.com"_s}},
        {u"Tag: VIP"_s, vip},
        {u"Tag: Spring sale"_s + dnm, {u"p1@example.com"_s}},
        {u"Tag: VIP"_s + dnm, {u"p1@example.com"_s, u"p2@example.com"_s}},
    };
    QCOMPARE(listsInFolder(), expected);
    QCOMPARE(m_sandbox->lists().size(), 1 + 7); // the seeded list and these

    // The same batch again, from a new connector (no cache): the lists are found by name and
    // nothing is added again.
    const auto snapshot = [this] {
        QStringList out;
        for (const BrevoContact &c : m_sandbox->contacts()) {
            QStringList lists;
            for (const qint64 id : c.listIds)
                lists.append(QString::number(id));
            out.append(u"%1 %2 %3 %4"_s.arg(c.email)
                           .arg(c.id)
                           .arg(c.emailBlacklisted)
                           .arg(lists.join(u',')));
        }
        return out;
    };
    ageContacts();
    const QStringList before = snapshot();
    m_connector = makeConnector();
    AWAIT_OK(second, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(second->value().written, 163);
    QVERIFY(second->value().failed.isEmpty());
    QCOMPARE(snapshot(), before);
    QCOMPARE(listsInFolder(), expected);
    QCOMPARE(m_sandbox->lists().size(), 1 + 7);
    // Marketing: import, poll, empty read-back, the whole list; holding: import, poll, empty
    // read-back, two look-ups. No tag list is added to.
    QCOMPARE(second->value().requests, 4 + 5);

    // Suppressed contacts get no tag list, not even a do-not-mail one.
    TargetContact gone = targetContact(u"gone@example.com"_s, ContactStatus::Unsubscribed);
    gone.tags = {u"VIP"_s, u"Former"_s};
    AWAIT_OK(suppressed, m_connector->writeSuppressions(list->value().id, {gone}));
    QCOMPARE(suppressed->value().written, 1);
    QVERIFY(suppressed->value().failed.isEmpty());
    QMap<QString, QStringList> withGone = expected;
    withGone[u"Migration"_s + dnm]
        = QStringList{u"gone@example.com"_s, u"p1@example.com"_s, u"p2@example.com"_s};
    QCOMPARE(listsInFolder(), withGone);
}

void tst_BrevoConnector::tagNotWritten()
{
    AWAIT_OK(list, m_connector->ensureList(u"Migration"_s));
    QVERIFY(ensureEvidence());
    m_sandbox->refuseListAdd(u"s2@example.com"_s);
    QList<TargetContact> batch;
    for (const QString &email : {u"s1@example.com"_s, u"S2@example.com"_s, u"s3@example.com"_s}) {
        TargetContact t = targetContact(email, ContactStatus::Subscribed);
        t.tags = {u"VIP"_s};
        batch.append(t);
    }
    batch[1].tags.append(u"Beta"_s);
    AWAIT_OK(r, m_connector->upsertContacts(list->value().id, batch));
    QCOMPARE(r->value().written, 2);
    QCOMPARE(r->value().failed.size(), 1);
    const WriteFailure f = r->value().failed.at(0);
    QCOMPARE(f.email, u"S2@example.com"_s);
    QCOMPARE(f.code, u"tag_not_written"_s);
    QCOMPARE(f.message, u"The contact was written, but Brevo did not add it to the lists of tags "
                        "\"Beta\", \"VIP\"."_s);
    // The contact itself was written; only its tag lists lack it.
    QCOMPARE(listsInFolder(),
             (QMap<QString, QStringList>{
                 {u"Migration"_s, {u"s1@example.com"_s, u"s2@example.com"_s, u"s3@example.com"_s}},
                 {BrevoConnector::holdingListName(u"Migration"_s), {}},
                 {u"Tag: Beta"_s, {}},
                 {u"Tag: VIP"_s, {u"s1@example.com"_s, u"s3@example.com"_s}},
             }));
    // import, poll, read-back; adds to Beta and VIP; one look-up of the refused address
    QCOMPARE(r->value().requests, 3 + 2 + 1);
}

QTEST_GUILESS_MAIN(tst_BrevoConnector)
#include "tst_brevoconnector.moc"
