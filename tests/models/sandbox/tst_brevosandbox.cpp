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
    QVERIFY(get(u"/v3/account"_s).header("x-sib-ratelimit-limit").isEmpty());

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

QTEST_GUILESS_MAIN(tst_BrevoSandbox)
#include "tst_brevosandbox.moc"
