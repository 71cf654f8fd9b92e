// The Brevo sandbox over real HTTP on 127.0.0.1: authentication, paging, contacts, the JSON
// import and its process, attributes, and the rate-limit headers.
#include "brevoclient.h"

#include "sandbox/brevosandbox.h"
#include "sandbox/sandboxserver.h"

#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString key = u"xkeysib-0123456789abcdef-sandbox"_s;
}

class tst_BrevoSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void authentication_data();
    void authentication();
    void paging_data();
    void paging();
    void pageLimits();
    void modifiedSince();
    void createReadUpdate();
    void duplicate();
    void importAppliesContacts();
    void importWithoutUpdate();
    void importTooLarge();
    void attributes();
    void listsAndFolders();
    void rateLimitHeaders();
    void hourlyLimit();
    void importBlacklistFlag();
    void importProcessRuns();
    void importUnchangedKeepsModifiedAt();
    void listAndItsContacts();
    void blockedContacts();
    void templates();
    void campaigns();
    void domainsAndSegments();
    void addContactsToList();

private:
    BrevoResult get(const QString &path) { return send("GET", path); }
    BrevoResult send(const QByteArray &method, const QString &path, const QJsonObject &body = {})
    {
        return brevoCall(m_nam, m_server->baseUrl(), method, path, key, body);
    }
    void addContacts(int n)
    {
        for (int i = 0; i < n; ++i) {
            BrevoContact c;
            c.email = u"person%1@example.com"_s.arg(i);
            m_sandbox->putContact(c);
        }
    }

    std::unique_ptr<BrevoSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    QNetworkAccessManager m_nam;
    qint64 m_listId = 0;
};

void tst_BrevoSandbox::init()
{
    m_sandbox = std::make_unique<BrevoSandbox>(key);
    m_listId = m_sandbox->seedEmpty();
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
}

void tst_BrevoSandbox::cleanup()
{
    m_server.reset();
    m_sandbox.reset();
}

void tst_BrevoSandbox::authentication_data()
{
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<QString>("path");
    QTest::addColumn<int>("status");
    QTest::newRow("no key") << QString() << u"/v3/account"_s << 401;
    QTest::newRow("wrong key") << u"xkeysib-other"_s << u"/v3/account"_s << 401;
    QTest::newRow("wrong key, contacts") << u"xkeysib-other"_s << u"/v3/contacts"_s << 401;
    QTest::newRow("right key") << key << u"/v3/account"_s << 200;
}

void tst_BrevoSandbox::authentication()
{
    QFETCH(QString, apiKey);
    QFETCH(QString, path);
    QFETCH(int, status);
    const BrevoResult r = brevoCall(m_nam, m_server->baseUrl(), "GET", path, apiKey);
    QCOMPARE(r.status, status);
    if (status == 401) {
        QCOMPARE(r.json().value(u"code"_s).toString(), u"unauthorized"_s);
        QCOMPARE(r.json().value(u"message"_s).toString(), u"Key not found"_s);
    } else {
        QCOMPARE(r.json().value(u"email"_s).toString(), u"sandbox@example.com"_s);
    }
}

void tst_BrevoSandbox::paging_data()
{
    QTest::addColumn<int>("total");
    QTest::addColumn<int>("limit");
    QTest::addColumn<QList<int>>("pageSizes");
    QTest::newRow("none") << 0 << 50 << QList<int>{0};
    QTest::newRow("one") << 1 << 50 << QList<int>{1, 0};
    QTest::newRow("exactly a page") << 50 << 50 << QList<int>{50, 0};
    QTest::newRow("one past a page") << 51 << 50 << QList<int>{50, 1, 0};
    QTest::newRow("max page") << 1001 << 1000 << QList<int>{1000, 1, 0};
}

void tst_BrevoSandbox::paging()
{
    QFETCH(int, total);
    QFETCH(int, limit);
    QFETCH(QList<int>, pageSizes);
    addContacts(total);
    QSet<QString> seen;
    for (int p = 0; p < pageSizes.size(); ++p) {
        const BrevoResult r = get(u"/v3/contacts?sort=asc&limit=%1&offset=%2"_s.arg(limit).arg(
            qint64(p) * limit));
        QCOMPARE(r.status, 200);
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"count"_s).toInt(), total);
        const QJsonArray contacts = o.value(u"contacts"_s).toArray();
        QCOMPARE(contacts.size(), pageSizes.at(p));
        for (const QJsonValue &c : contacts)
            seen.insert(c.toObject().value(u"email"_s).toString());
    }
    QCOMPARE(seen.size(), total);
    if (total > 1) {
        // Default order: newest first.
        const QJsonArray first = get(u"/v3/contacts?limit=1"_s).json().value(u"contacts"_s).toArray();
        QCOMPARE(first.at(0).toObject().value(u"email"_s).toString(),
                 u"person%1@example.com"_s.arg(total - 1));
    }
}

void tst_BrevoSandbox::pageLimits()
{
    addContacts(60);
    QCOMPARE(get(u"/v3/contacts"_s).json().value(u"contacts"_s).toArray().size(), 50);
    BrevoResult r = get(u"/v3/contacts?limit=1001"_s);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"out_of_range"_s);
    QCOMPARE(get(u"/v3/contacts?offset=-1"_s).status, 400);
    QCOMPARE(get(u"/v3/contacts/lists?limit=51"_s).status, 400);
    QCOMPARE(get(u"/v3/contacts?limit=0"_s).json().value(u"contacts"_s).toArray().size(), 0);
}

void tst_BrevoSandbox::modifiedSince()
{
    BrevoContact old;
    old.email = u"old@example.com"_s;
    old.createdAt = QDateTime(QDate(2020, 1, 1), QTime(10, 0), Qt::UTC);
    m_sandbox->putContact(old);
    BrevoContact recent;
    recent.email = u"recent@example.com"_s;
    recent.createdAt = QDateTime(QDate(2024, 6, 1), QTime(10, 0), Qt::UTC);
    m_sandbox->putContact(recent);
    const BrevoResult r = get(u"/v3/contacts?modifiedSince=2023-01-01T00%3A00%3A00.000Z"_s);
    QCOMPARE(r.status, 200);
    const QJsonArray contacts = r.json().value(u"contacts"_s).toArray();
    QCOMPARE(contacts.size(), 1);
    QCOMPARE(contacts.at(0).toObject().value(u"email"_s).toString(), u"recent@example.com"_s);
    QCOMPARE(r.json().value(u"count"_s).toInt(), 1);
    QCOMPARE(get(u"/v3/contacts?modifiedSince=yesterday"_s).status, 400);
}

void tst_BrevoSandbox::createReadUpdate()
{
    BrevoResult r = send("POST", u"/v3/contacts"_s,
                         {{u"email"_s, u"Ann@Example.com"_s},
                          {u"attributes"_s, QJsonObject{{u"firstname"_s, u"Ann"_s},
                                                        {u"UNKNOWN"_s, u"dropped"_s}}},
                          {u"listIds"_s, QJsonArray{m_listId}}});
    QCOMPARE(r.status, 201);
    const qint64 id = qint64(r.json().value(u"id"_s).toDouble());
    QVERIFY(id > 0);

    r = get(u"/v3/contacts/ann@example.com"_s);
    QCOMPARE(r.status, 200);
    QJsonObject c = r.json();
    QCOMPARE(c.value(u"email"_s).toString(), u"ann@example.com"_s);
    QCOMPARE(qint64(c.value(u"id"_s).toDouble()), id);
    QCOMPARE(c.value(u"emailBlacklisted"_s).toBool(), false);
    QCOMPARE(c.value(u"listIds"_s).toArray(), QJsonArray{m_listId});
    QCOMPARE(c.value(u"attributes"_s).toObject(), (QJsonObject{{u"FIRSTNAME"_s, u"Ann"_s}}));
    QVERIFY(QDateTime::fromString(c.value(u"createdAt"_s).toString(), Qt::ISODateWithMs)
                .isValid());
    QCOMPARE(get(u"/v3/contacts/%1"_s.arg(id)).json().value(u"email"_s).toString(),
             u"ann@example.com"_s);

    r = send("PUT", u"/v3/contacts/ann@example.com"_s,
             {{u"attributes"_s, QJsonObject{{u"LASTNAME"_s, u"Lee"_s}}},
              {u"emailBlacklisted"_s, true},
              {u"unlinkListIds"_s, QJsonArray{m_listId}}});
    QCOMPARE(r.status, 204);
    c = get(u"/v3/contacts/ann@example.com"_s).json();
    QCOMPARE(c.value(u"emailBlacklisted"_s).toBool(), true);
    QCOMPARE(c.value(u"listIds"_s).toArray(), QJsonArray());
    QCOMPARE(c.value(u"attributes"_s).toObject(),
             (QJsonObject{{u"FIRSTNAME"_s, u"Ann"_s}, {u"LASTNAME"_s, u"Lee"_s}}));

    r = get(u"/v3/contacts/nobody@example.com"_s);
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"document_not_found"_s);
    QCOMPARE(send("PUT", u"/v3/contacts/nobody@example.com"_s, {{u"emailBlacklisted"_s, true}})
                 .status,
             404);
    QCOMPARE(send("POST", u"/v3/contacts"_s, {{u"email"_s, u"not-an-address"_s}}).status, 400);
    QCOMPARE(send("DELETE", u"/v3/contacts"_s).status, 405);
}

void tst_BrevoSandbox::duplicate()
{
    const QJsonObject body{{u"email"_s, u"dup@example.com"_s}};
    QCOMPARE(send("POST", u"/v3/contacts"_s, body).status, 201);
    const BrevoResult r = send("POST", u"/v3/contacts"_s, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"duplicate_parameter"_s);
    QVERIFY(!r.json().value(u"message"_s).toString().isEmpty());

    QJsonObject upsert = body;
    upsert.insert(u"updateEnabled"_s, true);
    upsert.insert(u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, u"Dee"_s}});
    QCOMPARE(send("POST", u"/v3/contacts"_s, upsert).status, 204);
    QCOMPARE(m_sandbox->contact(u"dup@example.com"_s)->attributes.value(u"FIRSTNAME"_s),
             QJsonValue(u"Dee"_s));
    QCOMPARE(m_sandbox->contacts().size(), 1);
}

void tst_BrevoSandbox::importAppliesContacts()
{
    BrevoContact existing;
    existing.email = u"kept@example.com"_s;
    existing.attributes = {{u"FIRSTNAME"_s, u"Kay"_s}, {u"LASTNAME"_s, u"Old"_s}};
    m_sandbox->putContact(existing);
    const qint64 second = m_sandbox->addList(u"Second"_s, 1);

    QJsonArray rows{
        QJsonObject{{u"email"_s, u"new@example.com"_s},
                    {u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, u"Nia"_s}, {u"NOPE"_s, 1}}}},
        QJsonObject{{u"email"_s, u"kept@example.com"_s},
                    {u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, u"Kai"_s},
                                                  {u"LASTNAME"_s, u""_s}}}},
        QJsonObject{{u"email"_s, u"broken"_s}}};
    BrevoResult r = send("POST", u"/v3/contacts/import"_s,
                         {{u"jsonBody"_s, rows},
                          {u"listIds"_s, QJsonArray{m_listId, second}},
                          {u"emailBlacklist"_s, true},
                          {u"emptyContactsAttributes"_s, true}});
    QCOMPARE(r.status, 202);
    const qint64 processId = qint64(r.json().value(u"processId"_s).toDouble());
    QVERIFY(processId > 0);

    r = get(u"/v3/processes/%1"_s.arg(processId));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"status"_s).toString(), u"completed"_s);
    QCOMPARE(qint64(r.json().value(u"id"_s).toDouble()), processId);
    QCOMPARE(get(u"/v3/processes/999"_s).status, 404);

    QCOMPARE(get(u"/v3/contacts"_s).json().value(u"count"_s).toInt(), 2); // "broken" skipped
    for (const QString &email : {u"new@example.com"_s, u"kept@example.com"_s}) {
        const QJsonObject c = get(u"/v3/contacts/"_s + email).json();
        QCOMPARE(c.value(u"emailBlacklisted"_s).toBool(), true);
        QCOMPARE(c.value(u"listIds"_s).toArray(), (QJsonArray{m_listId, second}));
    }
    QCOMPARE(get(u"/v3/contacts/new@example.com"_s).json().value(u"attributes"_s).toObject(),
             (QJsonObject{{u"FIRSTNAME"_s, u"Nia"_s}}));
    // Updated, and the empty LASTNAME cleared it (emptyContactsAttributes).
    QCOMPARE(get(u"/v3/contacts/kept@example.com"_s).json().value(u"attributes"_s).toObject(),
             (QJsonObject{{u"FIRSTNAME"_s, u"Kai"_s}}));

    // Lists count their members.
    const QJsonArray lists = get(u"/v3/contacts/lists"_s).json().value(u"lists"_s).toArray();
    QCOMPARE(lists.at(0).toObject().value(u"totalSubscribers"_s).toInt(), 2);
    QCOMPARE(lists.at(0).toObject().value(u"totalBlacklisted"_s).toInt(), 2);

    // No list: refused.
    QCOMPARE(send("POST", u"/v3/contacts/import"_s, {{u"jsonBody"_s, rows}}).status, 400);
    QCOMPARE(send("POST", u"/v3/contacts/import"_s,
                  {{u"jsonBody"_s, rows}, {u"listIds"_s, QJsonArray{4242}}})
                 .status,
             404);
}

void tst_BrevoSandbox::importWithoutUpdate()
{
    BrevoContact existing;
    existing.email = u"kept@example.com"_s;
    existing.attributes = {{u"FIRSTNAME"_s, u"Kay"_s}};
    m_sandbox->putContact(existing);
    const QJsonArray rows{
        QJsonObject{{u"email"_s, u"kept@example.com"_s},
                    {u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, u"Kai"_s},
                                                  {u"LASTNAME"_s, u""_s}}}},
        QJsonObject{{u"email"_s, u"fresh@example.com"_s},
                    {u"attributes"_s, QJsonObject{{u"LASTNAME"_s, u""_s}}}}};
    QCOMPARE(send("POST", u"/v3/contacts/import"_s,
                  {{u"jsonBody"_s, rows},
                   {u"listIds"_s, QJsonArray{m_listId}},
                   {u"updateExistingContacts"_s, false}})
                 .status,
             202);
    const BrevoContact *kept = m_sandbox->contact(u"kept@example.com"_s);
    QCOMPARE(kept->attributes.value(u"FIRSTNAME"_s), QJsonValue(u"Kay"_s));
    QVERIFY(kept->listIds.isEmpty());
    QVERIFY(!kept->emailBlacklisted);
    const BrevoContact *fresh = m_sandbox->contact(u"fresh@example.com"_s);
    QVERIFY(fresh);
    QVERIFY(fresh->attributes.isEmpty());
    QCOMPARE(fresh->listIds, QList<qint64>{m_listId});
}

void tst_BrevoSandbox::importTooLarge()
{
    QJsonArray rows;
    const QString filler(200, u'x');
    for (int i = 0; i < 40000; ++i) {
        rows.append(QJsonObject{{u"email"_s, u"bulk%1@example.com"_s.arg(i)},
                                {u"attributes"_s, QJsonObject{{u"FIRSTNAME"_s, filler}}}});
    }
    const QJsonObject body{{u"jsonBody"_s, rows}, {u"listIds"_s, QJsonArray{m_listId}}};
    QVERIFY(QJsonDocument(body).toJson(QJsonDocument::Compact).size()
            > BrevoSandbox::maxImportBytes);
    const BrevoResult r = send("POST", u"/v3/contacts/import"_s, body);
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"out_of_range"_s);
    QVERIFY(m_sandbox->contacts().isEmpty());
}

void tst_BrevoSandbox::attributes()
{
    BrevoResult r = get(u"/v3/contacts/attributes"_s);
    QCOMPARE(r.status, 200);
    QStringList names;
    for (const QJsonValue &a : r.json().value(u"attributes"_s).toArray())
        names.append(a.toObject().value(u"name"_s).toString());
    QVERIFY(names.contains(u"FIRSTNAME"_s));
    QVERIFY(!names.contains(u"OPTIN_IP"_s));

    QCOMPARE(send("POST", u"/v3/contacts/attributes/normal/optin_ip"_s, {{u"type"_s, u"text"_s}})
                 .status,
             201);
    QCOMPARE(send("POST", u"/v3/contacts/attributes/normal/OPTIN_IP"_s, {{u"type"_s, u"text"_s}})
                 .status,
             400);
    QCOMPARE(send("POST", u"/v3/contacts/attributes/normal/WEIGHT"_s, {{u"type"_s, u"kilo"_s}})
                 .status,
             400);
    QCOMPARE(send("POST", u"/v3/contacts/attributes/bogus/X"_s, {{u"type"_s, u"text"_s}}).status,
             400);
    const QJsonArray colours{QJsonObject{{u"value"_s, 1}, {u"label"_s, u"red"_s}}};
    QCOMPARE(send("POST", u"/v3/contacts/attributes/category/COLOUR"_s,
                  {{u"type"_s, u"category"_s}, {u"enumeration"_s, colours}})
                 .status,
             201);
    r = get(u"/v3/contacts/attributes"_s);
    bool found = false;
    for (const QJsonValue &a : r.json().value(u"attributes"_s).toArray()) {
        const QJsonObject o = a.toObject();
        if (o.value(u"name"_s) == u"OPTIN_IP"_s) {
            found = true;
            QCOMPARE(o.value(u"category"_s).toString(), u"normal"_s);
            QCOMPARE(o.value(u"type"_s).toString(), u"text"_s);
        }
        if (o.value(u"name"_s) == u"COLOUR"_s)
            QCOMPARE(o.value(u"enumeration"_s).toArray(), colours);
    }
    QVERIFY(found);
    // The new attribute is now kept on contacts.
    QCOMPARE(send("POST", u"/v3/contacts"_s,
                  {{u"email"_s, u"ip@example.com"_s},
                   {u"attributes"_s, QJsonObject{{u"OPTIN_IP"_s, u"192.0.2.1"_s}}}})
                 .status,
             201);
    QCOMPARE(m_sandbox->contact(u"ip@example.com"_s)->attributes.value(u"OPTIN_IP"_s),
             QJsonValue(u"192.0.2.1"_s));
}

void tst_BrevoSandbox::listsAndFolders()
{
    BrevoResult r = send("POST", u"/v3/contacts/folders"_s, {{u"name"_s, u"Tags"_s}});
    QCOMPARE(r.status, 201);
    const qint64 folder = qint64(r.json().value(u"id"_s).toDouble());
    QCOMPARE(get(u"/v3/contacts/folders"_s).json().value(u"count"_s).toInt(), 2);

    r = send("POST", u"/v3/contacts/lists"_s, {{u"name"_s, u"vip"_s}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"missing_parameter"_s);
    QCOMPARE(send("POST", u"/v3/contacts/lists"_s, {{u"name"_s, u"vip"_s}, {u"folderId"_s, 99}})
                 .status,
             404);
    r = send("POST", u"/v3/contacts/lists"_s, {{u"name"_s, u"vip"_s}, {u"folderId"_s, folder}});
    QCOMPARE(r.status, 201);
    const qint64 list = qint64(r.json().value(u"id"_s).toDouble());
    const QJsonObject page = get(u"/v3/contacts/lists?limit=1&offset=1"_s).json();
    QCOMPARE(page.value(u"count"_s).toInt(), 2);
    QCOMPARE(page.value(u"lists"_s).toArray().size(), 1);
    const QJsonObject o = page.value(u"lists"_s).toArray().at(0).toObject();
    QCOMPARE(qint64(o.value(u"id"_s).toDouble()), list);
    QCOMPARE(qint64(o.value(u"folderId"_s).toDouble()), folder);
    QCOMPARE(o.value(u"name"_s).toString(), u"vip"_s);
}

void tst_BrevoSandbox::rateLimitHeaders()
{
    BrevoResult r = get(u"/v3/contacts"_s);
    QCOMPARE(r.header("x-sib-ratelimit-limit"), QByteArray::number(BrevoSandbox::contactsPerSecond));
    QVERIFY(!r.header("x-sib-ratelimit-remaining").isEmpty());
    QVERIFY(r.header("x-sib-ratelimit-reset").toInt() >= 1);
    // Other endpoints carry the hourly window's headers.
    const BrevoResult account = get(u"/v3/account"_s);
    QCOMPARE(account.header("x-sib-ratelimit-limit"),
             QByteArray::number(BrevoSandbox::otherRequestsPerHour));
    QCOMPARE(account.header("x-sib-ratelimit-remaining"),
             QByteArray::number(BrevoSandbox::otherRequestsPerHour - 1));
    QVERIFY(account.header("x-sib-ratelimit-reset").toInt() > 3500);

    // Enforced: within one second the eleventh request is refused with 429.
    m_sandbox->setEnforceRateLimit(true);
    QTest::qWait(1001);
    int refused = 0;
    int lastRemaining = -1;
    for (int i = 0; i < BrevoSandbox::contactsPerSecond + 5; ++i) {
        r = get(u"/v3/contacts/lists"_s);
        if (r.status == 429) {
            ++refused;
            QCOMPARE(r.header("x-sib-ratelimit-remaining"), QByteArray("0"));
        } else {
            lastRemaining = r.header("x-sib-ratelimit-remaining").toInt();
        }
    }
    QVERIFY(refused > 0);
    QVERIFY(lastRemaining >= 0);
}

void tst_BrevoSandbox::hourlyLimit()
{
    // Off: the headers count down to 0, nothing is refused.
    for (int i = 0; i < BrevoSandbox::otherRequestsPerHour; ++i)
        QCOMPARE(get(u"/v3/account"_s).status, 200);
    BrevoResult r = get(u"/v3/account"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.header("x-sib-ratelimit-remaining"), QByteArray("0"));
    QCOMPARE(m_sandbox->otherRequestsThisHour(), BrevoSandbox::otherRequestsPerHour + 1);
    // On: the next non-contact request is refused with Brevo's 429; contacts are not affected.
    m_sandbox->setEnforceHourlyLimit(true);
    r = get(u"/v3/smtp/templates"_s);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"too_many_requests"_s);
    QCOMPARE(r.header("x-sib-ratelimit-remaining"), QByteArray("0"));
    QVERIFY(r.header("x-sib-ratelimit-reset").toInt() >= 1);
    QCOMPARE(get(u"/v3/contacts"_s).status, 200);
}

void tst_BrevoSandbox::importBlacklistFlag()
{
    BrevoContact blocked;
    blocked.email = u"blocked@example.com"_s;
    blocked.emailBlacklisted = true;
    m_sandbox->putContact(blocked);
    const QJsonArray rows{QJsonObject{{u"email"_s, u"blocked@example.com"_s}}};
    // Left out: the block stays.
    QCOMPARE(send("POST", u"/v3/contacts/import"_s,
                  {{u"jsonBody"_s, rows}, {u"listIds"_s, QJsonArray{m_listId}}})
                 .status,
             202);
    QVERIFY(m_sandbox->contact(u"blocked@example.com"_s)->emailBlacklisted);
    // An explicit false is read as lifting it (the harmful reading, see importContacts).
    QCOMPARE(send("POST", u"/v3/contacts/import"_s,
                  {{u"jsonBody"_s, rows},
                   {u"listIds"_s, QJsonArray{m_listId}},
                   {u"emailBlacklist"_s, false}})
                 .status,
             202);
    QVERIFY(!m_sandbox->contact(u"blocked@example.com"_s)->emailBlacklisted);
}

void tst_BrevoSandbox::importProcessRuns()
{
    m_sandbox->setImportPolls(2);
    const QJsonArray rows{QJsonObject{{u"email"_s, u"ok@example.com"_s}},
                          QJsonObject{{u"email"_s, u"not an address"_s}}};
    const BrevoResult r = send("POST", u"/v3/contacts/import"_s,
                               {{u"jsonBody"_s, rows},
                                {u"listIds"_s, QJsonArray{m_listId}},
                                {u"disableNotification"_s, true}});
    QCOMPARE(r.status, 202);
    const QString path = u"/v3/processes/%1"_s.arg(r.json().value(u"processId"_s).toInteger());
    QCOMPARE(get(path).json().value(u"status"_s).toString(), u"in_process"_s);
    QCOMPARE(get(path).json().value(u"status"_s).toString(), u"in_process"_s);
    const QJsonObject done = get(path).json();
    QCOMPARE(done.value(u"status"_s).toString(), u"completed"_s);
    // The process tells nothing of the dropped row; only reading back shows it.
    QCOMPARE(done.keys(), (QStringList{u"id"_s, u"name"_s, u"status"_s}));
    QCOMPARE(m_sandbox->processRequests(), 3);
    QCOMPARE(m_sandbox->contacts().size(), 1);
    QCOMPARE(get(u"/v3/contacts/not%20an%20address"_s).status, 404);
}

void tst_BrevoSandbox::importUnchangedKeepsModifiedAt()
{
    BrevoContact c;
    c.email = u"same@example.com"_s;
    c.listIds = {m_listId};
    c.attributes = {{u"FIRSTNAME"_s, u"Sam"_s}};
    c.createdAt = c.modifiedAt = QDateTime::currentDateTimeUtc().addDays(-3);
    m_sandbox->putContact(c);
    const auto import = [this](const QString &name) {
        return send("POST", u"/v3/contacts/import"_s,
                    {{u"jsonBody"_s,
                      QJsonArray{QJsonObject{{u"email"_s, u"same@example.com"_s},
                                             {u"attributes"_s,
                                              QJsonObject{{u"FIRSTNAME"_s, name}}}}}},
                     {u"listIds"_s, QJsonArray{m_listId}}})
            .status;
    };
    QCOMPARE(import(u"Sam"_s), 202);
    QCOMPARE(m_sandbox->contact(u"same@example.com"_s)->modifiedAt, c.modifiedAt);
    QCOMPARE(import(u"Samuel"_s), 202);
    QVERIFY(m_sandbox->contact(u"same@example.com"_s)->modifiedAt
            > QDateTime::currentDateTimeUtc().addSecs(-60));
}

void tst_BrevoSandbox::listAndItsContacts()
{
    const qint64 other = m_sandbox->addList(u"Other"_s, 1);
    const QDateTime old = QDateTime::currentDateTimeUtc().addDays(-5);
    for (int i = 0; i < 7; ++i) {
        BrevoContact c;
        c.email = u"m%1@example.com"_s.arg(i);
        c.listIds = {i == 6 ? other : m_listId};
        if (i < 2)
            c.createdAt = c.modifiedAt = old;
        m_sandbox->putContact(c);
    }
    BrevoResult r = get(u"/v3/contacts/lists/%1"_s.arg(m_listId));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"name"_s).toString(), u"Your first list"_s);
    QCOMPARE(r.json().value(u"uniqueSubscribers"_s).toInt(), 6);
    QCOMPARE(get(u"/v3/contacts/lists/999"_s).status, 404);

    r = get(u"/v3/contacts/lists/%1/contacts?limit=4&offset=0&sort=asc"_s.arg(m_listId));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"count"_s).toInt(), 6);
    QJsonArray page = r.json().value(u"contacts"_s).toArray();
    QCOMPARE(page.size(), 4);
    QCOMPARE(page.at(0).toObject().value(u"email"_s).toString(), u"m0@example.com"_s);
    page = get(u"/v3/contacts/lists/%1/contacts?limit=4&offset=4&sort=asc"_s.arg(m_listId))
               .json()
               .value(u"contacts"_s)
               .toArray();
    QCOMPARE(page.size(), 2);
    QCOMPARE(page.at(1).toObject().value(u"email"_s).toString(), u"m5@example.com"_s);
    // Default order is descending.
    page = get(u"/v3/contacts/lists/%1/contacts"_s.arg(m_listId)).json().value(u"contacts"_s).toArray();
    QCOMPARE(page.at(0).toObject().value(u"email"_s).toString(), u"m5@example.com"_s);
    const QString since = QDateTime::currentDateTimeUtc()
                              .addDays(-1)
                              .toString(u"yyyy-MM-dd'T'HH:mm:ss.zzz'Z'"_s);
    r = get(u"/v3/contacts/lists/%1/contacts?modifiedSince=%2"_s.arg(m_listId).arg(since));
    QCOMPARE(r.json().value(u"count"_s).toInt(), 4);
    QCOMPARE(get(u"/v3/contacts/lists/%1/contacts?limit=501"_s.arg(m_listId)).status, 400);
    QCOMPARE(get(u"/v3/contacts/lists/999/contacts"_s).status, 404);
    QCOMPARE(get(u"/v3/contacts/lists/%1/contacts?modifiedSince=yesterday"_s.arg(m_listId)).status,
             400);
}

void tst_BrevoSandbox::blockedContacts()
{
    for (int i = 0; i < 3; ++i)
        m_sandbox->addBlockedContact({u"B%1@example.com"_s.arg(i), u"s@example.com"_s,
                                      i == 0 ? u"hardBounce"_s : u"contactFlaggedAsSpam"_s, {}});
    BrevoResult r = get(u"/v3/smtp/blockedContacts?limit=2&offset=0&sort=asc"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"count"_s).toInt(), 3);
    const QJsonArray contacts = r.json().value(u"contacts"_s).toArray();
    QCOMPARE(contacts.size(), 2);
    const QJsonObject first = contacts.at(0).toObject();
    QCOMPARE(first.value(u"email"_s).toString(), u"b0@example.com"_s);
    QCOMPARE(first.value(u"reason"_s).toObject().value(u"code"_s).toString(), u"hardBounce"_s);
    QVERIFY(!first.value(u"reason"_s).toObject().value(u"message"_s).toString().isEmpty());
    QCOMPARE(get(u"/v3/smtp/blockedContacts?limit=101"_s).status, 400);
}

void tst_BrevoSandbox::templates()
{
    QJsonObject body{{u"templateName"_s, u"Welcome"_s},
                     {u"subject"_s, u"Hi"_s},
                     {u"sender"_s, QJsonObject{{u"name"_s, u"News"_s},
                                               {u"email"_s, u"news@example.com"_s}}},
                     {u"htmlContent"_s, u"<p>Welcome aboard</p>"_s},
                     {u"isActive"_s, true}};
    BrevoResult r = send("POST", u"/v3/smtp/templates"_s, body);
    QCOMPARE(r.status, 201);
    const qint64 id = r.json().value(u"id"_s).toInteger();
    QCOMPARE(m_sandbox->templates().size(), 1);
    QCOMPARE(m_sandbox->templates().first().senderName, u"News"_s);
    r = get(u"/v3/smtp/templates/%1"_s.arg(id));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"htmlContent"_s).toString(), u"<p>Welcome aboard</p>"_s);
    QCOMPARE(r.json().value(u"doiTemplate"_s).toBool(true), false);
    r = get(u"/v3/smtp/templates?limit=10&offset=0"_s);
    QCOMPARE(r.json().value(u"count"_s).toInt(), 1);
    QCOMPARE(r.json().value(u"templates"_s).toArray().at(0).toObject().value(u"name"_s),
             QJsonValue(u"Welcome"_s));
    QCOMPARE(get(u"/v3/smtp/templates/77"_s).status, 404);
    QCOMPARE(get(u"/v3/smtp/templates?limit=1001"_s).status, 400);

    QJsonObject shortHtml = body;
    shortHtml.insert(u"htmlContent"_s, u"<p>Hi</p>"_s);
    QCOMPARE(send("POST", u"/v3/smtp/templates"_s, shortHtml).status, 400);
    QJsonObject noSender = body;
    noSender.remove(u"sender"_s);
    QCOMPARE(send("POST", u"/v3/smtp/templates"_s, noSender).status, 400);
    QCOMPARE(m_sandbox->templates().size(), 1);
}

void tst_BrevoSandbox::campaigns()
{
    BrevoCampaign c;
    c.name = u"Spring"_s;
    c.sentDate = QDateTime::currentDateTimeUtc();
    c.sent = 10;
    c.uniqueViews = 4;
    m_sandbox->addCampaign(c);
    BrevoResult r = get(u"/v3/emailCampaigns?statistics=globalStats&excludeHtmlContent=true"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"count"_s).toInt(), 1);
    QJsonObject campaign = r.json().value(u"campaigns"_s).toArray().at(0).toObject();
    QCOMPARE(campaign.value(u"htmlContent"_s).toString(), QString());
    QVERIFY(campaign.contains(u"sentDate"_s));
    QJsonObject global = campaign.value(u"statistics"_s).toObject().value(u"globalStats"_s).toObject();
    QCOMPARE(global.value(u"sent"_s).toInt(), 10);
    QCOMPARE(global.value(u"uniqueViews"_s).toInt(), 4);
    // Another kind of statistics leaves globalStats empty.
    campaign = get(u"/v3/emailCampaigns?statistics=linksStats"_s)
                   .json()
                   .value(u"campaigns"_s)
                   .toArray()
                   .at(0)
                   .toObject();
    QVERIFY(!campaign.value(u"htmlContent"_s).toString().isEmpty());
    QVERIFY(campaign.value(u"statistics"_s).toObject().value(u"globalStats"_s).toObject().isEmpty());
    QCOMPARE(get(u"/v3/emailCampaigns?limit=101"_s).status, 400);
}

void tst_BrevoSandbox::domainsAndSegments()
{
    m_sandbox->addDomain(u"example.com"_s, true, false);
    BrevoResult r = get(u"/v3/senders/domains"_s);
    QCOMPARE(r.status, 200);
    const QJsonObject d = r.json().value(u"domains"_s).toArray().at(0).toObject();
    QCOMPARE(d.value(u"domain_name"_s).toString(), u"example.com"_s);
    QCOMPARE(d.value(u"authenticated"_s).toBool(), true);
    QCOMPARE(d.value(u"verified"_s).toBool(), false);
    m_sandbox->addSegment(u"Openers"_s, u"Engagement"_s);
    r = get(u"/v3/contacts/segments?limit=50&offset=0"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"count"_s).toInt(), 1);
    QCOMPARE(r.json().value(u"segments"_s).toArray().at(0).toObject().value(u"segmentName"_s),
             QJsonValue(u"Openers"_s));
    QCOMPARE(send("POST", u"/v3/senders/domains"_s).status, 405);
}

void tst_BrevoSandbox::addContactsToList()
{
    addContacts(3); // ids 1, 2, 3
    const qint64 folder = m_sandbox->folders().first().id;
    const qint64 tags = m_sandbox->addList(u"Tag: VIP"_s, folder);
    const QString path = u"/v3/contacts/lists/%1/contacts/add"_s.arg(tags);
    m_sandbox->refuseListAdd(u"person2@example.com"_s);

    // By email: known ones are added; unknown, refused and (below) already listed ones fail.
    BrevoResult r = send("POST", path,
                         {{u"emails"_s, QJsonArray{u"Person0@example.com"_s,
                                                   u"nobody@example.com"_s,
                                                   u"person2@example.com"_s}}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.header("x-sib-ratelimit-limit"), QByteArray::number(BrevoSandbox::contactsPerSecond));
    QJsonObject contacts = r.json().value(u"contacts"_s).toObject();
    QCOMPARE(contacts.value(u"success"_s).toArray(), QJsonArray{u"Person0@example.com"_s});
    QCOMPARE(contacts.value(u"failure"_s).toArray(),
             (QJsonArray{u"nobody@example.com"_s, u"person2@example.com"_s}));
    QCOMPARE(m_sandbox->contact(u"person0@example.com"_s)->listIds, QList<qint64>{tags});
    QVERIFY(m_sandbox->contact(u"person2@example.com"_s)->listIds.isEmpty());

    // By id (ids win over emails); one already on the list. Answered with addresses.
    r = send("POST", path,
             {{u"ids"_s, QJsonArray{1, 2}}, {u"emails"_s, QJsonArray{u"nobody@example.com"_s}}});
    QCOMPARE(r.status, 201);
    contacts = r.json().value(u"contacts"_s).toObject();
    QCOMPARE(contacts.value(u"success"_s).toArray(), QJsonArray{u"person1@example.com"_s});
    QCOMPARE(contacts.value(u"failure"_s).toArray(), QJsonArray{u"person0@example.com"_s});
    QCOMPARE(m_sandbox->contact(u"person1@example.com"_s)->listIds, QList<qint64>{tags});

    // At most 150 a call; neither emails nor ids; an unknown list; GET is not allowed.
    QJsonArray many;
    for (int i = 0; i < BrevoSandbox::maxListAdd + 1; ++i)
        many.append(u"person0@example.com"_s);
    r = send("POST", path, {{u"emails"_s, many}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"out_of_range"_s);
    many.removeLast();
    QCOMPARE(send("POST", path, {{u"emails"_s, many}}).status, 201);
    r = send("POST", path, {{u"emails"_s, QJsonArray()}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"missing_parameter"_s);
    r = send("POST", path, {{u"emails"_s, QJsonArray{1}}});
    QCOMPARE(r.status, 400);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"invalid_parameter"_s);
    r = send("POST", u"/v3/contacts/lists/4242/contacts/add"_s,
             {{u"emails"_s, QJsonArray{u"person0@example.com"_s}}});
    QCOMPARE(r.status, 404);
    QCOMPARE(r.json().value(u"code"_s).toString(), u"document_not_found"_s);
    QCOMPARE(get(path).status, 405);
}

QTEST_GUILESS_MAIN(tst_BrevoSandbox)
#include "tst_brevosandbox.moc"
