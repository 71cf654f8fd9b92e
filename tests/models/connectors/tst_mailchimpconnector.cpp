// The Mailchimp connector against the Mailchimp sandbox over real HTTP on 127.0.0.1: the sandbox
// runs on the test thread, the connector sends through a NetworkThread.
#include "connectors/connectorfactory.h"
#include "connectors/mailchimp/mailchimpconnector.h"
#include "connectors/transport/networkthread.h"
#include "contacts/valuecoercion.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxserver.h"

#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString key = u"0123456789abcdef0123456789abcdef-us21"_s;

RetrySettings fastRetries(int attempts = 8)
{
    return RetrySettings{.maxAttempts = attempts,
                         .baseDelayMs = 5,
                         .maxDelayMs = 20,
                         .maxServerDelayMs = 5000};
}

MailchimpMember member(const QString &email, const QString &status)
{
    MailchimpMember m;
    m.email = email;
    m.status = status;
    m.lastChanged = QDateTime(QDate(2024, 1, 1), QTime(0, 0), Qt::UTC);
    return m;
}
} // namespace

class tst_MailchimpConnector : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void factory();
    void testConnection();
    void keyProblems_data();
    void keyProblems();
    void audiencesAndFields();
    void contactMapping();
    void paging_data();
    void paging();
    void pagingThousand();
    void changedSince();
    void assets();
    void faults_data();
    void faults();

    void ensureListAndFields();
    void transfer();
    void invalidAddress();
    void batchOf501();
    void batchesTogetherShareANewTag();
    void laterBatchesReuseTheSegments();
    void batchesTogetherListTheSegmentsOnce();
    void neverPending();
    void writeTemplate();

private:
    template<typename T>
    Result<T> await(QFuture<Result<T>> future, int ms = 20000)
    {
        if (!QTest::qWaitFor([&future] { return future.isFinished(); }, ms))
            return Error(u"the test timed out waiting for the connector"_s);
        return future.result();
    }
    void start(const QString &apiKey = key, RetrySettings retry = fastRetries(),
               int timeoutMs = 5000);
    /// Every contact of the audience through contacts(), page by page.
    Result<QList<SourceContact>> readAll(const QString &listId, int pageSize, int *pages);

    std::unique_ptr<MailchimpSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<NetworkThread> m_net;
    std::unique_ptr<MailchimpConnector> m_mc;
};

void tst_MailchimpConnector::init()
{
    m_sandbox = std::make_unique<MailchimpSandbox>(key);
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
    start();
}

void tst_MailchimpConnector::cleanup()
{
    m_mc.reset();
    m_net.reset();
    m_server.reset();
    m_sandbox.reset();
}

void tst_MailchimpConnector::start(const QString &apiKey, RetrySettings retry, int timeoutMs)
{
    m_mc.reset();
    m_net = std::make_unique<NetworkThread>(RateLimiter::withPlatformDefaults(),
                                            RetryPolicy(retry, 7));
    HttpClient *client = &m_net->client();
    QMetaObject::invokeMethod(
        client, [client, timeoutMs] { client->setDefaultTimeout(timeoutMs); },
        Qt::BlockingQueuedConnection);
    QUrl base = m_server->baseUrl();
    base.setPath(u"/3.0"_s);
    m_mc = std::make_unique<MailchimpConnector>(
        ConnectionSettings{TargetPlatform::Mailchimp, apiKey, base}, *client);
}

Result<QList<SourceContact>> tst_MailchimpConnector::readAll(const QString &listId, int pageSize,
                                                             int *pages)
{
    QList<SourceContact> all;
    ContactQuery q;
    q.pageSize = pageSize;
    *pages = 0;
    do {
        const Result<ContactPage> page = await(m_mc->contacts(listId, q));
        if (!page)
            return page.error();
        ++*pages;
        all += page->contacts;
        q.cursor = page->next;
        if (*pages > 5000)
            return Error(u"endless paging"_s);
    } while (!q.cursor.isEmpty());
    return all;
}

void tst_MailchimpConnector::factory()
{
    const ConnectionSettings settings{TargetPlatform::Mailchimp, key, m_server->baseUrl()};
    QVERIFY(ConnectorFactory::source(settings, m_net->client()) != nullptr);
    const auto target = ConnectorFactory::target(settings, m_net->client());
    QVERIFY(target != nullptr);
    QCOMPARE(target->maxBatchSize(), 500);
    QCOMPARE(MailchimpConnector::dataCenterOf(u"abc-us14"_s), u"us14"_s);
    QCOMPARE(MailchimpConnector(ConnectionSettings{TargetPlatform::Mailchimp, u"abc-us14"_s, {}},
                                m_net->client())
                 .apiRoot()
                 .value(),
             QUrl(u"https://us14.api.mailchimp.com/3.0"_s));
}

void tst_MailchimpConnector::testConnection()
{
    const Result<AccountInfo> info = await(m_mc->testConnection());
    QVERIFY2(info.ok(), qPrintable(info.ok() ? QString() : info.error().toString()));
    QCOMPARE(info->id.size(), 25);
    QCOMPARE(info->name, u"Northwind Outdoor Co."_s);
    QCOMPARE(info->email, u"owner@example.com"_s);
    QVERIFY2(info->detail.contains(u"us21"_s), qPrintable(info->detail));
}

void tst_MailchimpConnector::keyProblems_data()
{
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");
    QTest::newRow("wrong key") << u"ffffffffffffffffffffffffffffffff-us21"_s << 401
                               << u"Check the Mailchimp API key"_s;
    QTest::newRow("other data center")
        << u"0123456789abcdef0123456789abcdef-us6"_s << 401 << u"us6"_s;
    QTest::newRow("incomplete") << u"0123456789abcdef0123456789abcdef"_s << 0
                                << u"looks incomplete"_s;
}

void tst_MailchimpConnector::keyProblems()
{
    QFETCH(QString, apiKey);
    QFETCH(int, status);
    QFETCH(QString, says);
    start(apiKey);
    const int before = m_server->requestCount();
    const Result<AccountInfo> info = await(m_mc->testConnection());
    QVERIFY(!info.ok());
    QCOMPARE(info.error().httpStatus, status);
    QVERIFY2(info.error().toString().contains(says), qPrintable(info.error().toString()));
    QVERIFY(info.error().toString().contains(u"Mailchimp"_s));
    QCOMPARE(m_server->requestCount() - before, status == 0 ? 0 : 1);
}

void tst_MailchimpConnector::audiencesAndFields()
{
    const QString id = m_sandbox->seedDemo(30);
    m_sandbox->addList(u"Second"_s);
    const Result<QList<Audience>> lists = await(m_mc->audiences());
    QVERIFY(lists.ok());
    QCOMPARE(lists->size(), 2);
    const Audience &a = lists->at(0);
    QCOMPARE(a.id, id);
    QCOMPARE(a.contacts, 30);
    QCOMPARE(a.byStatus.value(ContactStatus::Subscribed), 5);
    QCOMPARE(a.byStatus.value(ContactStatus::Unsubscribed), 5);
    QCOMPARE(a.byStatus.value(ContactStatus::Cleaned), 5);
    QCOMPARE(a.byStatus.size(), 3);
    QCOMPARE(lists->at(1).contacts, 0);

    const Result<QList<FieldDefinition>> fields = await(m_mc->fields(id));
    QVERIFY(fields.ok());
    QCOMPARE(fields->size(), 4);
    QCOMPARE(fields->at(0).key, u"FNAME"_s);
    QCOMPARE(fields->at(0).label, u"First Name"_s);
    QCOMPARE(fields->at(0).type, FieldType::Text);
    QCOMPARE(fields->at(2).type, FieldType::Birthday);
    QCOMPARE(fields->at(2).format, u"MM/DD"_s);
    QCOMPARE(fields->at(3).type, FieldType::Phone);
}

void tst_MailchimpConnector::contactMapping()
{
    const QString id = m_sandbox->seedDemo(30);
    MailchimpMember withAddress = member(u"addr@example.com"_s, u"subscribed"_s);
    withAddress.mergeFields.insert(u"ADDRESS"_s,
                                   QJsonObject{{u"addr1"_s, u"1 Main St"_s},
                                               {u"addr2"_s, QString()},
                                               {u"city"_s, u"Springfield"_s},
                                               {u"state"_s, u"IL"_s},
                                               {u"zip"_s, u"62701"_s},
                                               {u"country"_s, u"US"_s}});
    m_sandbox->putMember(id, withAddress);
    int pages = 0;
    const Result<QList<SourceContact>> all = readAll(id, 0, &pages);
    QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error().toString()));
    QCOMPARE(pages, 1);
    QCOMPARE(all->size(), 31);

    QHash<ContactStatus, int> byStatus;
    for (const SourceContact &c : all.value())
        ++byStatus[c.status];
    // Three of the five unsubscribed members are in the abuse reports.
    QCOMPARE(byStatus.value(ContactStatus::Subscribed), 6);
    QCOMPARE(byStatus.value(ContactStatus::Unsubscribed), 2);
    QCOMPARE(byStatus.value(ContactStatus::Complained), 3);
    QCOMPARE(byStatus.value(ContactStatus::Cleaned), 5);
    QCOMPARE(byStatus.value(ContactStatus::Pending), 5);
    QCOMPARE(byStatus.value(ContactStatus::Transactional), 5);
    QCOMPARE(byStatus.value(ContactStatus::Archived), 5);
    QCOMPARE(all->at(1).status, ContactStatus::Complained);
    QCOMPARE(all->at(1).platformStatus, u"unsubscribed"_s);

    const SourceContact &first = all->at(0);
    QCOMPARE(first.email, u"ada.lovelace.1@example.com"_s);
    QCOMPARE(first.id, MailchimpSandbox::subscriberHash(first.email));
    QCOMPARE(first.fields.value(u"FNAME"_s), u"Ada"_s);
    QCOMPARE(first.fields.value(u"LNAME"_s), u"Lovelace"_s);
    QCOMPARE(first.fields.value(u"BIRTHDAY"_s), QString());
    QCOMPARE(first.tags, (QStringList{u"Newsletter"_s, u"VIP"_s}));
    QCOMPARE(first.consent.optinTime, QDateTime(QDate(2021, 1, 4), QTime(8, 0), Qt::UTC));
    QCOMPARE(first.consent.optinIp, u"192.0.2.1"_s);
    QCOMPARE(first.consent.confirmTime, QDateTime(QDate(2021, 1, 4), QTime(8, 10), Qt::UTC));
    QCOMPARE(first.consent.confirmIp, u"198.51.100.1"_s);
    QCOMPARE(first.language, u"fr"_s);
    QCOMPARE(first.rating, 1);
    QCOMPARE(first.lastChanged, QDateTime(QDate(2021, 2, 3), QTime(8, 0), Qt::UTC));
    QCOMPARE(all->at(3).status, ContactStatus::Pending);
    QVERIFY(!all->at(3).consent.confirmTime.isValid());

    const QString address = all->last().fields.value(u"ADDRESS"_s);
    QCOMPARE(address, u"1 Main St  Springfield  IL  62701  US"_s);
    const auto coerced = ValueCoercion::toAddress(address);
    QVERIFY(coerced.ok());
    QCOMPARE(coerced->parts.value(u"city"_s), u"Springfield"_s);
    QCOMPARE(coerced->parts.value(u"zip"_s), u"62701"_s);
    QCOMPARE(coerced->parts.value(u"addr2"_s), QString());
}

void tst_MailchimpConnector::paging_data()
{
    QTest::addColumn<int>("members");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("pages");
    QTest::newRow("empty") << 0 << 5 << 1;
    QTest::newRow("one") << 1 << 5 << 1;
    QTest::newRow("exactly one page") << 5 << 5 << 1;
    QTest::newRow("one past a page") << 6 << 5 << 2;
    QTest::newRow("several pages") << 23 << 5 << 5;
}

void tst_MailchimpConnector::paging()
{
    QFETCH(int, members);
    QFETCH(int, pageSize);
    QFETCH(int, pages);
    const QString id = m_sandbox->seedEmpty();
    for (int i = 0; i < members; ++i)
        m_sandbox->putMember(id, member(u"m%1@example.com"_s.arg(i), u"subscribed"_s));
    int read = 0;
    const Result<QList<SourceContact>> all = readAll(id, pageSize, &read);
    QVERIFY(all.ok());
    QCOMPARE(read, pages);
    QSet<QString> seen;
    for (const SourceContact &c : all.value())
        seen.insert(c.email);
    QCOMPARE(all->size(), members);
    QCOMPARE(seen.size(), members);
}

void tst_MailchimpConnector::pagingThousand()
{
    for (const int members : {1000, 1001}) {
        m_sandbox = std::make_unique<MailchimpSandbox>(key);
        m_server = std::make_unique<SandboxServer>(*m_sandbox);
        QVERIFY(m_server->listen() != 0);
        start();
        const QString id = m_sandbox->seedEmpty();
        for (int i = 0; i < members; ++i)
            m_sandbox->putMember(id, member(u"m%1@example.com"_s.arg(i), u"subscribed"_s));
        int pages = 0;
        const Result<QList<SourceContact>> all = readAll(id, 0, &pages);
        QVERIFY(all.ok());
        QCOMPARE(pages, members == 1000 ? 1 : 2);
        QSet<QString> seen;
        for (const SourceContact &c : all.value())
            seen.insert(c.email);
        QCOMPARE(seen.size(), members);
        QCOMPARE(all->size(), members);
    }
}

void tst_MailchimpConnector::changedSince()
{
    const QString id = m_sandbox->seedDemo(30); // last_changed 2021-02-03 08:00 + i minutes
    ContactQuery q;
    q.changedSince = QDateTime(QDate(2021, 2, 3), QTime(8, 19), Qt::UTC);
    const Result<ContactPage> page = await(m_mc->contacts(id, q));
    QVERIFY(page.ok());
    QCOMPARE(page->total, 10); // minutes 20..29
    QCOMPARE(page->contacts.size(), 10);
    QCOMPARE(page->contacts.first().email, u"frances.turing.21@example.com"_s);
    QVERIFY(page->next.isEmpty());
}

void tst_MailchimpConnector::assets()
{
    const QString id = m_sandbox->seedDemo(30);

    const Result<QList<TagInfo>> tags = await(m_mc->tags(id));
    QVERIFY(tags.ok());
    QCOMPARE(tags->size(), 2);
    QCOMPARE(tags->at(0).name, u"Newsletter"_s);
    QCOMPARE(tags->at(0).contacts, 15);
    QCOMPARE(tags->at(1).name, u"VIP"_s);
    QCOMPARE(tags->at(1).contacts, 6);

    const Result<QList<SegmentInfo>> segments = await(m_mc->segments(id));
    QVERIFY(segments.ok());
    QCOMPARE(segments->size(), 4); // two tags (static) and two saved segments
    QCOMPARE(segments->at(2).name, u"Engaged readers"_s);
    QCOMPARE(segments->at(2).kind, u"saved"_s);
    QCOMPARE(segments->at(2).contacts, 15);
    QCOMPARE(segments->at(0).kind, u"static"_s);

    const Result<QList<TemplateInfo>> templates = await(m_mc->templates());
    QVERIFY(templates.ok());
    QCOMPARE(templates->size(), 3);
    QCOMPARE(templates->at(0).name, u"Monthly newsletter"_s);
    QCOMPARE(templates->at(0).kind, u"user"_s);
    QCOMPARE(templates->at(1).kind, u"user (drag-and-drop)"_s);
    const Result<TemplateInfo> content = await(m_mc->templateContent(templates->at(0).id));
    QVERIFY(content.ok());
    QCOMPARE(content->name, u"Monthly newsletter"_s);
    QVERIFY(content->html.contains(u"*|UNSUB|*"_s));
    const Result<TemplateInfo> missing = await(m_mc->templateContent(u"999"_s));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error().httpStatus, 404);

    const Result<QList<CampaignInfo>> all = await(m_mc->campaigns({}));
    QVERIFY(all.ok());
    QCOMPARE(all->size(), 8);
    const QDateTime yearAgo = QDateTime::currentDateTimeUtc().addMonths(-12);
    const Result<QList<CampaignInfo>> recent = await(m_mc->campaigns(yearAgo));
    QVERIFY(recent.ok());
    QCOMPARE(recent->size(), 6); // five sent in the last year, one draft created lately
    int reported = 0;
    for (const CampaignInfo &c : recent.value()) {
        if (c.status == u"save") {
            QVERIFY(!c.hasReport);
            continue;
        }
        ++reported;
        QVERIFY(c.hasReport);
        QVERIFY(c.sentAt > yearAgo);
        QVERIFY(c.uniqueOpens > 0);
        QVERIFY(c.uniqueClicks > 0);
        QVERIFY(c.unsubscribes > 0);
        QVERIFY(c.softBounces > 0);
        QVERIFY(c.hardBounces >= 0);
        QVERIFY(c.complaints >= 0);
    }
    QCOMPARE(reported, 5);
    QCOMPARE(recent->at(0).name, u"Newsletter 1"_s);
    QCOMPARE(recent->at(0).complaints, 1);
    QCOMPARE(recent->at(0).recipients, 15);

    const Result<QList<AutomationInfo>> automations = await(m_mc->automations());
    QVERIFY(automations.ok());
    QCOMPARE(automations->size(), 2);
    QCOMPARE(automations->at(0).name, u"Welcome series"_s);
    QCOMPARE(automations->at(0).emails, 3);
    QCOMPARE(automations->at(1).status, u"paused"_s);

    const Result<QList<SendingDomainInfo>> domains = await(m_mc->sendingDomains());
    QVERIFY(domains.ok());
    QCOMPARE(domains->size(), 2);
    QVERIFY(domains->at(0).verified && domains->at(0).authenticated);
    QVERIFY(domains->at(1).verified && !domains->at(1).authenticated);

    const Result<QList<IntegrationInfo>> integrations = await(m_mc->integrations());
    QVERIFY(integrations.ok());
    QCOMPARE(integrations->size(), 2);
    QCOMPARE(integrations->at(0).name, u"shop.example.com"_s);
    QCOMPARE(integrations->at(0).kind, u"connected site"_s);
    QCOMPARE(integrations->at(1).name, u"Northwind Outdoor Shop"_s);
    QCOMPARE(integrations->at(1).kind, u"e-commerce store (Shopify)"_s);
    QVERIFY(m_mc->features().testFlag(SourceConnector::Feature::ChangesSince));
}

void tst_MailchimpConnector::faults_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<double>("rate");
    QTest::addColumn<int>("retryAfter");
    QTest::addColumn<QString>("says"); // empty: must succeed
    QTest::newRow("429 with Retry-After") << int(SandboxFaults::TooManyRequests) << 0.5 << 1 << QString();
    QTest::newRow("429 without Retry-After") << int(SandboxFaults::TooManyRequests) << 0.5 << 0 << QString();
    QTest::newRow("bare 403") << int(SandboxFaults::BareForbidden) << 0.5 << 0 << QString();
    QTest::newRow("503") << int(SandboxFaults::Unavailable) << 0.5 << 0 << QString();
    QTest::newRow("stall") << int(SandboxFaults::Stall) << 0.5 << 0 << QString();
    QTest::newRow("truncated body") << int(SandboxFaults::TruncatedBody) << 0.5 << 0 << QString();
    QTest::newRow("always 429") << int(SandboxFaults::TooManyRequests) << 1.0 << 0 << u"429"_s;
    QTest::newRow("always bare 403") << int(SandboxFaults::BareForbidden) << 1.0 << 0 << u"403"_s;
    QTest::newRow("always 503") << int(SandboxFaults::Unavailable) << 1.0 << 0 << u"503"_s;
    QTest::newRow("always stalls") << int(SandboxFaults::Stall) << 1.0 << 0
                                   << u"did not answer"_s;
    QTest::newRow("always truncated") << int(SandboxFaults::TruncatedBody) << 1.0 << 0
                                      << u"not valid JSON"_s;
}

void tst_MailchimpConnector::faults()
{
    QFETCH(int, kind);
    QFETCH(double, rate);
    QFETCH(int, retryAfter);
    QFETCH(QString, says);
    const QString id = m_sandbox->seedDemo(25);
    start(key, fastRetries(says.isEmpty() ? 10 : 3), 300);
    SandboxFaults faults;
    faults.kinds = kind;
    faults.rate = rate;
    faults.seed = 3;
    faults.retryAfterSeconds = retryAfter;
    m_server->setFaults(faults);

    int pages = 0;
    const Result<QList<SourceContact>> all = readAll(id, 5, &pages);
    if (says.isEmpty()) {
        QVERIFY2(all.ok(), qPrintable(all.ok() ? QString() : all.error().toString()));
        QCOMPARE(pages, 5);
        QSet<QString> seen;
        for (const SourceContact &c : all.value())
            seen.insert(c.email);
        QCOMPARE(seen.size(), 25);
        QCOMPARE(all->size(), 25);
        QVERIFY2(m_server->requestCount() > 6, qPrintable(QString::number(m_server->requestCount())));
        return;
    }
    QVERIFY(!all.ok());
    const QString message = all.error().toString();
    QVERIFY2(message.contains(u"Mailchimp"_s), qPrintable(message));
    QVERIFY2(message.contains(says), qPrintable(message));
}

void tst_MailchimpConnector::ensureListAndFields()
{
    const Result<EnsuredItem> first = await(m_mc->ensureList(u"Stagecoach import"_s));
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QVERIFY(first->created);
    QCOMPARE(first->name, u"Stagecoach import"_s);
    const Result<EnsuredItem> second = await(m_mc->ensureList(u"Stagecoach import"_s));
    QVERIFY(second.ok());
    QVERIFY(!second->created);
    QCOMPARE(second->id, first->id);
    QCOMPARE(m_sandbox->listIds().size(), 1);

    QList<FieldSpec> specs;
    for (const EvidenceField &e : ConsentMapping::evidenceFields(TargetPlatform::Mailchimp))
        specs.append({e.name, e.type, {}, {}});
    specs.append({u"FNAME"_s, FieldType::Text, u"First Name"_s, {}});
    specs.append({u"PLAN"_s, FieldType::Text, u"Plan"_s, {u"Basic"_s, u"Pro"_s}});
    const Result<QList<EnsuredItem>> fields = await(m_mc->ensureFields(first->id, specs));
    QVERIFY2(fields.ok(), qPrintable(fields.ok() ? QString() : fields.error().toString()));
    QCOMPARE(fields->size(), specs.size());
    QCOMPARE(fields->at(0).id, u"SRCSTATUS"_s);
    QVERIFY(fields->at(0).created);
    QCOMPARE(fields->at(2).type, FieldType::Date);
    QVERIFY(!fields->at(3).created); // FNAME is a default field
    QVERIFY(fields->at(4).created);
    const MailchimpList *list = m_sandbox->list(first->id);
    QCOMPARE(list->mergeFields.size(), 4 + 4);
    QCOMPARE(list->mergeFields.at(6).type, u"date"_s);
    QCOMPARE(list->mergeFields.last().type, u"dropdown"_s);

    const Result<QList<EnsuredItem>> again = await(m_mc->ensureFields(first->id, specs));
    QVERIFY(again.ok());
    for (const EnsuredItem &item : again.value())
        QVERIFY(!item.created);
    QCOMPARE(m_sandbox->list(first->id)->mergeFields.size(), 8);
}

namespace {

TargetContact targetContact(ContactStatus status)
{
    ConsentEvidence e;
    e.optinTime = QDateTime(QDate(2020, 5, 1), QTime(10, 0), Qt::UTC);
    e.optinIp = u"192.0.2.10"_s;
    if (status != ContactStatus::Pending) {
        e.confirmTime = QDateTime(QDate(2020, 5, 1), QTime(10, 5), Qt::UTC);
        e.confirmIp = u"192.0.2.11"_s;
    }
    if (ConsentMapping::level(status) == ConsentLevel::Suppressed)
        e.suppressionReason = u"Too many emails"_s;
    TargetContact c;
    c.email = u"%1@example.com"_s.arg(ContactStatuses::key(status));
    c.write = ConsentMapping::map(status, e, TargetPlatform::Mailchimp);
    c.fields.insert(u"FNAME"_s, u"Name %1"_s.arg(ContactStatuses::key(status)));
    c.language = u"de"_s;
    c.tags = {u"Imported"_s};
    if (status == ContactStatus::Subscribed || status == ContactStatus::Unsubscribed)
        c.tags.append(u"Newsletter"_s);
    return c;
}

/// `count` subscribers "<prefix><batch>-<i>@example.com" with these tags and no evidence fields.
QList<TargetContact> taggedBatch(const QString &prefix, int batch, int count, const QStringList &tags)
{
    QList<TargetContact> contacts;
    for (int i = 0; i < count; ++i) {
        TargetContact c = targetContact(ContactStatus::Subscribed);
        c.email = u"%1%2-%3@example.com"_s.arg(prefix).arg(batch).arg(i);
        c.write.attributes.clear();
        c.tags = tags;
        contacts.append(c);
    }
    return contacts;
}

struct Snapshot
{
    QString status;
    QJsonObject merge;
    QDateTime signup, opt;
    QStringList tags;
    bool operator==(const Snapshot &o) const
    {
        return status == o.status && merge == o.merge && signup == o.signup && opt == o.opt
               && tags == o.tags;
    }
};

QHash<QString, Snapshot> snapshot(const MailchimpList &list)
{
    QHash<QString, Snapshot> out;
    for (const MailchimpMember &m : list.members)
        out.insert(m.email,
                   {m.status, m.mergeFields, m.timestampSignup, m.timestampOpt, m.tags});
    return out;
}

} // namespace

void tst_MailchimpConnector::transfer()
{
    const Result<EnsuredItem> list = await(m_mc->ensureList(u"Imported"_s));
    QVERIFY(list.ok());
    QList<FieldSpec> specs;
    for (const EvidenceField &e : ConsentMapping::evidenceFields(TargetPlatform::Mailchimp))
        specs.append({e.name, e.type, {}, {}});
    QVERIFY(await(m_mc->ensureFields(list->id, specs)).ok());
    // Somebody who left the target audience on their own: a subscribe must not bring them back.
    m_sandbox->putMember(list->id, member(u"left@example.com"_s, u"unsubscribed"_s));

    QList<TargetContact> contacts;
    for (const ContactStatus s : kAllContactStatuses)
        contacts.append(targetContact(s));
    contacts.first().fields.insert(u"BIRTHDAY"_s, QDate(1990, 7, 14)); // a birthday field
    TargetContact left = targetContact(ContactStatus::Subscribed);
    left.email = u"left@example.com"_s;
    contacts.append(left);

    for (int round = 0; round < 2; ++round) {
        const auto before = snapshot(*m_sandbox->list(list->id));
        const Result<BatchResult> suppressed = await(m_mc->writeSuppressions(list->id, contacts));
        QVERIFY(suppressed.ok());
        QCOMPARE(suppressed->written, 3); // unsubscribed, cleaned, complained
        QCOMPARE(suppressed->failed.size(), contacts.size() - 3);
        for (const WriteFailure &f : suppressed->failed)
            QCOMPARE(f.code, u"wrong_wave"_s);
        const Result<BatchResult> upserted = await(m_mc->upsertContacts(list->id, contacts));
        QVERIFY(upserted.ok());
        // subscribed, pending, transactional, unknown and the one who left; archived is skipped,
        // the three suppressions belong to the other wave.
        QCOMPARE(upserted->written, 5);
        QCOMPARE(upserted->failed.size(), 4);
        QCOMPARE(upserted->written + upserted->failed.size(), contacts.size());
        if (round == 1) // the same batches again change nothing
            QVERIFY(snapshot(*m_sandbox->list(list->id)) == before);
    }

    const MailchimpList *state = m_sandbox->list(list->id);
    QCOMPARE(state->members.size(), 8); // every status but archived, and the one who left
    for (const MailchimpMember &m : state->members)
        QVERIFY2(m.status != u"pending", qPrintable(m.email));
    for (const TargetContact &c : std::as_const(contacts)) {
        const auto it = state->memberIndex.constFind(MailchimpSandbox::subscriberHash(c.email));
        if (c.write.wave == WriteWave::Skip) {
            QVERIFY(it == state->memberIndex.cend());
            continue;
        }
        QVERIFY2(it != state->memberIndex.cend(), qPrintable(c.email));
        const MailchimpMember &m = state->members.at(*it);
        if (c.email == u"left@example.com") {
            QCOMPARE(m.status, u"unsubscribed"_s);
            QCOMPARE(m.tags, c.tags); // tagged all the same
            continue;
        }
        QCOMPARE(m.status, c.write.mailchimp.status);
        QCOMPARE(m.tags, c.tags);
        QCOMPARE(m.mergeFields.value(u"SRCSTATUS"_s).toString(),
                 ContactStatuses::key(c.write.source));
        QCOMPARE(m.mergeFields.value(u"FNAME"_s).toString(), c.fields.value(u"FNAME"_s).toString());
        QCOMPARE(m.timestampSignup, QDateTime(QDate(2020, 5, 1), QTime(10, 0), Qt::UTC));
        QCOMPARE(m.ipSignup, u"192.0.2.10"_s);
        QCOMPARE(m.language, u"de"_s);
        if (c.write.source == ContactStatus::Complained)
            QCOMPARE(m.mergeFields.value(u"SUPPREASON"_s).toString(), u"Too many emails"_s);
    }

    QCOMPARE(state->members.at(state->memberIndex.value(
                                   MailchimpSandbox::subscriberHash(contacts.first().email)))
                 .mergeFields.value(u"BIRTHDAY"_s)
                 .toString(),
             u"07/14"_s); // Mailchimp's birthday form
    QCOMPARE(state->tagIds.size(), 2); // one static segment per tag, made once
    QVERIFY(state->tagIds.contains(u"Imported"_s));

    // Read back: every contact is where the mapping said it would be.
    ContactQuery q;
    q.pageSize = 3;
    QHash<QString, TargetContactRecord> records;
    do {
        const Result<TargetContactPage> page = await(m_mc->readContacts(list->id, q));
        QVERIFY(page.ok());
        for (const TargetContactRecord &r : page->contacts)
            records.insert(r.email, r);
        q.cursor = page->next;
    } while (!q.cursor.isEmpty());
    QCOMPARE(records.size(), 8);
    QHash<ContactStatus, qint64> expected;
    for (const TargetContact &c : std::as_const(contacts)) {
        if (!c.write.expectedOnTarget || c.email == u"left@example.com")
            continue;
        const TargetContactRecord r = records.value(c.email);
        QCOMPARE(r.tags, c.tags);
        QCOMPARE(r.state.sourceStatusField, ContactStatuses::key(c.write.source));
        QCOMPARE(ConsentMapping::statusOnTarget(r.state), *c.write.expectedOnTarget);
        ++expected[*c.write.expectedOnTarget];
    }
    ++expected[ContactStatus::Unsubscribed]; // the one who left
    const Result<QHash<ContactStatus, qint64>> counts = await(m_mc->countsByStatus(list->id));
    QVERIFY(counts.ok());
    QCOMPARE(counts.value(), expected);
}

void tst_MailchimpConnector::invalidAddress()
{
    const QString id = m_sandbox->seedEmpty();
    QList<TargetContact> contacts;
    for (const QString &email : {u"one@example.com"_s, u"not-an-address@"_s, u"two@example.com"_s}) {
        TargetContact c = targetContact(ContactStatus::Subscribed);
        c.email = email;
        c.write.attributes.clear();
        contacts.append(c);
    }
    const Result<BatchResult> r = await(m_mc->upsertContacts(id, contacts));
    QVERIFY(r.ok());
    QCOMPARE(r->written, 2);
    QCOMPARE(r->failed.size(), 1);
    QCOMPARE(r->failed.at(0).email, u"not-an-address@"_s);
    QCOMPARE(r->failed.at(0).code, u"ERROR_GENERIC"_s);
    QVERIFY(r->failed.at(0).message.contains(u"not-an-address@"_s));
    QCOMPARE(m_sandbox->list(id)->members.size(), 2);
}

void tst_MailchimpConnector::batchOf501()
{
    const QString id = m_sandbox->seedEmpty();
    QList<TargetContact> contacts;
    for (int i = 0; i < 501; ++i) {
        TargetContact c = targetContact(ContactStatus::Transactional);
        c.email = u"bulk%1@example.com"_s.arg(i);
        c.write.attributes.clear();
        contacts.append(c);
    }
    const Result<BatchResult> r = await(m_mc->upsertContacts(id, contacts));
    QVERIFY(r.ok());
    QCOMPARE(r->written, 501);
    QVERIFY(r->failed.isEmpty());
    QCOMPARE(r->requests, 2); // 500 and 1: Mailchimp takes up to 500 members per call
    QCOMPARE(m_sandbox->list(id)->members.size(), 501);
}

void tst_MailchimpConnector::batchesTogetherShareANewTag()
{
    // The engine keeps several batches in flight. Two that meet the same new tag must not both
    // create its segment (Mailchimp refuses a second segment of that name): their tagging takes
    // turns, and every member ends up tagged.
    const QString id = m_sandbox->seedEmpty();
    QList<QFuture<Result<BatchResult>>> batches;
    for (int b = 0; b < 3; ++b) {
        batches.append(m_mc->upsertContacts(id, taggedBatch(u"b"_s, b, 20, {u"Spring 2026"_s, u"Batch %1"_s.arg(b)})));
    }
    for (QFuture<Result<BatchResult>> &f : batches) {
        const Result<BatchResult> r = await(f);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->written, 20);
        for (const WriteFailure &failure : r->failed)
            QVERIFY2(false, qPrintable(failure.email + u": "_s + failure.message));
    }
    const MailchimpList *list = m_sandbox->list(id);
    QCOMPARE(list->members.size(), 60);
    QCOMPARE(list->tagIds.size(), 4); // Spring 2026 once, Batch 0..2
    for (const MailchimpMember &m : list->members)
        QVERIFY2(m.tags.contains(u"Spring 2026"_s), qPrintable(m.email));
}

void tst_MailchimpConnector::laterBatchesReuseTheSegments()
{
    // The first batch finds (GET) or creates (POST) the static segment of each tag; the connector
    // remembers their ids, so a later batch with the same tags goes straight to tagging.
    const QString id = m_sandbox->seedEmpty();
    const QString segments = u"/3.0/lists/%1/segments"_s.arg(id);
    const auto batch = [](int b) { return taggedBatch(u"r"_s, b, 10, {u"Spring 2026"_s, u"VIP"_s}); };
    const Result<BatchResult> first = await(m_mc->upsertContacts(id, batch(0)));
    QVERIFY2(first.ok(), qPrintable(first.ok() ? QString() : first.error().toString()));
    QCOMPARE(first->written, 10);
    QVERIFY(first->failed.isEmpty());
    QCOMPARE(m_server->requestCount("GET", segments), 1); // one page: none yet
    QCOMPARE(m_server->requestCount("POST", segments), 2); // one per tag
    const MailchimpList *list = m_sandbox->list(id);
    QCOMPARE(list->tagIds.size(), 2);
    const QString spring = segments + u'/' + QString::number(list->tagIds.value(u"Spring 2026"_s));
    const QString vip = segments + u'/' + QString::number(list->tagIds.value(u"VIP"_s));
    QCOMPARE(m_server->requestCount("POST", spring), 1);
    QCOMPARE(m_server->requestCount("POST", vip), 1);

    const Result<BatchResult> second = await(m_mc->upsertContacts(id, batch(1)));
    QVERIFY2(second.ok(), qPrintable(second.ok() ? QString() : second.error().toString()));
    QCOMPARE(second->written, 10);
    QVERIFY(second->failed.isEmpty());
    // Nothing more asked of the segments collection: the ids were remembered.
    QCOMPARE(m_server->requestCount("GET", segments), 1);
    QCOMPARE(m_server->requestCount("POST", segments), 2);
    // Tagged all the same: one addition per tag, into the same segments.
    QCOMPARE(m_server->requestCount("POST", spring), 2);
    QCOMPARE(m_server->requestCount("POST", vip), 2);
    QCOMPARE(list->tagIds.size(), 2);
    QCOMPARE(list->members.size(), 20);
    for (const MailchimpMember &m : list->members) {
        QStringList tags = m.tags;
        tags.sort();
        QCOMPARE(tags, (QStringList{u"Spring 2026"_s, u"VIP"_s}));
    }
}

void tst_MailchimpConnector::batchesTogetherListTheSegmentsOnce()
{
    // Batches in flight together that carry the same tags: the first lists the segments and
    // creates the missing ones (both at once); the others find them known when their turn comes,
    // so they make no request for it.
    const QString id = m_sandbox->seedEmpty();
    const int before = m_server->requestCount();
    QList<QFuture<Result<BatchResult>>> batches;
    for (int b = 0; b < 3; ++b) {
        batches.append(m_mc->upsertContacts(id, taggedBatch(u"l"_s, b, 10, {u"Spring 2026"_s, u"Newsletter"_s})));
    }
    for (QFuture<Result<BatchResult>> &f : batches) {
        const Result<BatchResult> r = await(f);
        QVERIFY2(r.ok(), qPrintable(r.ok() ? QString() : r.error().toString()));
        QCOMPARE(r->written, 10);
        QVERIFY(r->failed.isEmpty());
    }
    // 3 member writes, 1 segment listing, 2 segments created, 3 x 2 tag additions.
    QCOMPARE(m_server->requestCount() - before, 3 + 1 + 2 + 6);
    const MailchimpList *list = m_sandbox->list(id);
    QCOMPARE(list->tagIds.size(), 2);
    for (const MailchimpMember &m : list->members) {
        QVERIFY2(m.tags.contains(u"Spring 2026"_s), qPrintable(m.email));
        QVERIFY2(m.tags.contains(u"Newsletter"_s), qPrintable(m.email));
    }
}

void tst_MailchimpConnector::neverPending()
{
    // ConsentMapping never asks for "pending"; were a write to, the connector refuses it.
    const QString id = m_sandbox->seedEmpty();
    TargetContact pending = targetContact(ContactStatus::Transactional);
    pending.write.mailchimp.status = u"pending"_s;
    pending.tags.clear();
    const int before = m_server->requestCount();
    const Result<BatchResult> r = await(m_mc->upsertContacts(id, {pending}));
    QVERIFY(r.ok());
    QCOMPARE(r->written, 0);
    QCOMPARE(r->failed.size(), 1);
    QCOMPARE(r->failed.at(0).code, u"not_written"_s);
    QCOMPARE(m_server->requestCount(), before);
    QVERIFY(m_sandbox->list(id)->members.isEmpty());
}

void tst_MailchimpConnector::writeTemplate()
{
    const TemplateContent content{u"Welcome"_s, u"Hi"_s, u"<p>Hello *|FNAME|*</p>"_s, {}, {}};
    const Result<EnsuredItem> first = await(m_mc->writeTemplate(content));
    QVERIFY(first.ok());
    QVERIFY(first->created);
    const Result<EnsuredItem> second = await(m_mc->writeTemplate(content));
    QVERIFY(second.ok());
    QVERIFY(!second->created);
    QCOMPARE(second->id, first->id);
    QCOMPARE(m_sandbox->templates().size(), 1);
    QCOMPARE(m_sandbox->templates().at(0).html, content.html);
}

QTEST_GUILESS_MAIN(tst_MailchimpConnector)
#include "tst_mailchimpconnector.moc"
