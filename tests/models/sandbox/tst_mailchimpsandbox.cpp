#include "mailchimpclient.h"

#include "sandbox/mailchimpsandbox.h"
#include "sandbox/mailchimpsandbox_p.h"
#include "sandbox/sandboxserver.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QSet>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString key = u"0123456789abcdef0123456789abcdef-us21"_s;
}

class tst_MailchimpSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void ping();
    void authFailures_data();
    void authFailures();
    void notFound();
    void lists();
    void mergeFields();
    void paging_data();
    void paging();
    void pageSizeLimit();
    void statusFilter();
    void sinceLastChanged();
    void upsertThenRead();
    void upsertRejects_data();
    void upsertRejects();
    void batchSubscribe();
    void batchExistingMembers();
    void faults_data();
    void faults();
    void noFaultsAtRateZero();
    void concurrencyLimit();
    void demoData();
    void createListAndMergeField();
    void accountContent();
    void abuseTagsSegments();
    void timeText();
    void batchAnswersAsWritten();

private:
    HttpResult get(const QString &path, const QString &apiKey = key)
    {
        return call(*m_nam, m_server->baseUrl(), "GET", path, apiKey);
    }
    HttpResult send(const QByteArray &method, const QString &path, const QJsonObject &body)
    {
        return call(*m_nam, m_server->baseUrl(), method, path, key, body);
    }
    QString membersPath(const QString &listId, const QString &query = {}) const
    {
        return u"/3.0/lists/%1/members%2"_s.arg(listId, query);
    }
    static void verifyProblem(const HttpResult &r, int status)
    {
        QCOMPARE(r.status, status);
        QVERIFY2(r.contentType.startsWith("application/problem+json"), r.contentType.constData());
        const QJsonObject o = r.json();
        QCOMPARE(o.value(u"status"_s).toInt(), status);
        QCOMPARE(o.value(u"type"_s).toString(),
                 u"https://mailchimp.com/developer/marketing/docs/errors/"_s);
        QVERIFY(!o.value(u"title"_s).toString().isEmpty());
        QVERIFY(!o.value(u"detail"_s).toString().isEmpty());
        QVERIFY(!o.value(u"instance"_s).toString().isEmpty());
    }

    std::unique_ptr<MailchimpSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

void tst_MailchimpSandbox::init()
{
    m_sandbox = std::make_unique<MailchimpSandbox>(key);
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_MailchimpSandbox::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_sandbox.reset();
}

void tst_MailchimpSandbox::ping()
{
    QCOMPARE(m_server->baseUrl().host(), u"127.0.0.1"_s);
    const HttpResult r = get(u"/3.0/ping"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"health_status"_s).toString(), u"Everything's Chimpy!"_s);
}

void tst_MailchimpSandbox::authFailures_data()
{
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<QString>("title");
    QTest::newRow("no key") << QString() << u"API Key Missing"_s;
    QTest::newRow("wrong key") << u"ffffffffffffffffffffffffffffffff-us21"_s
                               << u"API Key Invalid"_s;
    QTest::newRow("no data center")
        << u"0123456789abcdef0123456789abcdef"_s << u"API Key Invalid"_s;
    QTest::newRow("wrong data center")
        << u"0123456789abcdef0123456789abcdef-us6"_s << u"Wrong Datacenter"_s;
}

void tst_MailchimpSandbox::authFailures()
{
    QFETCH(QString, apiKey);
    QFETCH(QString, title);
    const QString listId = m_sandbox->seedDemo(3);
    for (const QString &path : {u"/3.0/ping"_s, membersPath(listId)}) {
        const HttpResult r = get(path, apiKey);
        verifyProblem(r, 401);
        QCOMPARE(r.json().value(u"title"_s).toString(), title);
        if (title == u"Wrong Datacenter") {
            const QString detail = r.json().value(u"detail"_s).toString();
            QVERIFY2(detail.contains(u"'us6'") && detail.contains(u"'us21'"), qPrintable(detail));
        }
        QVERIFY(!r.body.contains("example.com")); // nothing of the audience leaks
    }
}

void tst_MailchimpSandbox::notFound()
{
    const QString listId = m_sandbox->seedDemo(2);
    verifyProblem(get(u"/3.0/lists/nosuchlist/members"_s), 404);
    verifyProblem(get(membersPath(
                      listId, u"/"_s + MailchimpSandbox::subscriberHash(u"nobody@example.com"_s))),
                  404);
    verifyProblem(get(u"/3.0/file-manager/files"_s), 404);
    verifyProblem(get(u"/2.0/lists"_s), 404);
    QCOMPARE(get(u"/3.0/lists/nosuchlist"_s).json().value(u"title"_s).toString(),
             u"Resource Not Found"_s);
    verifyProblem(send("DELETE", u"/3.0/lists/"_s + listId, {}), 405);
}

void tst_MailchimpSandbox::lists()
{
    const QString a = m_sandbox->seedDemo(12);
    const QString b = m_sandbox->seedEmpty();
    QVERIFY(a != b);
    const HttpResult r = get(u"/3.0/lists"_s);
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"total_items"_s).toInt(), 2);
    const QJsonArray lists = r.json().value(u"lists"_s).toArray();
    QCOMPARE(lists.size(), 2);
    QCOMPARE(lists.at(0).toObject().value(u"id"_s).toString(), a);
    QCOMPARE(lists.at(0).toObject().value(u"stats"_s).toObject().value(u"total_contacts"_s).toInt(),
             12);
    QCOMPARE(lists.at(0).toObject().value(u"stats"_s).toObject().value(u"member_count"_s).toInt(),
             2);

    const HttpResult one = get(u"/3.0/lists/"_s + b);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json().value(u"id"_s).toString(), b);
    QCOMPARE(get(u"/3.0/lists?count=1&offset=1"_s).json().value(u"lists"_s).toArray().size(), 1);
}

void tst_MailchimpSandbox::mergeFields()
{
    const QString listId = m_sandbox->seedEmpty();
    const HttpResult r = get(u"/3.0/lists/%1/merge-fields"_s.arg(listId));
    QCOMPARE(r.status, 200);
    QStringList tags;
    for (const QJsonValue &f : r.json().value(u"merge_fields"_s).toArray())
        tags.append(f.toObject().value(u"tag"_s).toString());
    QCOMPARE(tags, (QStringList{u"FNAME"_s, u"LNAME"_s, u"BIRTHDAY"_s, u"PHONE"_s}));
    QCOMPARE(r.json().value(u"total_items"_s).toInt(), 4);
    const QJsonObject birthday = r.json().value(u"merge_fields"_s).toArray().at(2).toObject();
    QCOMPARE(birthday.value(u"type"_s).toString(), u"birthday"_s);
    QCOMPARE(birthday.value(u"options"_s).toObject().value(u"date_format"_s).toString(),
             u"MM/DD"_s);
}

void tst_MailchimpSandbox::paging_data()
{
    QTest::addColumn<int>("members");
    QTest::addColumn<int>("count");
    QTest::newRow("empty") << 0 << 10;
    QTest::newRow("one") << 1 << 10;
    QTest::newRow("exactly one page") << 10 << 10;
    QTest::newRow("one past a page") << 11 << 10;
    QTest::newRow("count 1") << 3 << 1;
    QTest::newRow("exactly 1000") << 1000 << 1000;
    QTest::newRow("1001 by 1000") << 1001 << 1000;
}

void tst_MailchimpSandbox::paging()
{
    QFETCH(int, members);
    QFETCH(int, count);
    const QString listId = members == 0 ? m_sandbox->seedEmpty() : m_sandbox->seedDemo(members);

    QSet<QString> expected;
    for (const MailchimpMember &m : m_sandbox->list(listId)->members)
        expected.insert(m.email);
    QCOMPARE(expected.size(), members);

    QSet<QString> seen;
    int offset = 0;
    int nonEmptyPages = 0;
    for (;;) {
        const HttpResult r
            = get(membersPath(listId, u"?count=%1&offset=%2"_s.arg(count).arg(offset)));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(u"total_items"_s).toInt(), members);
        QCOMPARE(r.json().value(u"list_id"_s).toString(), listId);
        const QJsonArray page = r.json().value(u"members"_s).toArray();
        QVERIFY(page.size() <= count);
        if (page.isEmpty())
            break;
        ++nonEmptyPages;
        for (const QJsonValue &m : page) {
            const QString email = m.toObject().value(u"email_address"_s).toString();
            QVERIFY2(!seen.contains(email), qPrintable(u"duplicate "_s + email));
            seen.insert(email);
        }
        offset += count;
    }
    QCOMPARE(seen, expected);
    QCOMPARE(nonEmptyPages, (members + count - 1) / count);
}

void tst_MailchimpSandbox::pageSizeLimit()
{
    const QString listId = m_sandbox->seedDemo(3);
    verifyProblem(get(membersPath(listId, u"?count=1001"_s)), 400);
    verifyProblem(get(membersPath(listId, u"?count=abc"_s)), 400);
    verifyProblem(get(membersPath(listId, u"?offset=-1"_s)), 400);
    // Default page size is 10.
    const QString big = m_sandbox->seedDemo(25);
    QCOMPARE(get(membersPath(big)).json().value(u"members"_s).toArray().size(), 10);
}

void tst_MailchimpSandbox::statusFilter()
{
    const QString listId = m_sandbox->seedDemo(60);
    for (const QString &status : {u"subscribed"_s, u"unsubscribed"_s, u"cleaned"_s, u"pending"_s,
                                  u"transactional"_s, u"archived"_s}) {
        const HttpResult r = get(membersPath(listId, u"?count=1000&status="_s + status));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.json().value(u"total_items"_s).toInt(), 10);
        const QJsonArray page = r.json().value(u"members"_s).toArray();
        QCOMPARE(page.size(), 10);
        for (const QJsonValue &m : page)
            QCOMPARE(m.toObject().value(u"status"_s).toString(), status);
    }
    verifyProblem(get(membersPath(listId, u"?status=deleted"_s)), 400);
}

void tst_MailchimpSandbox::sinceLastChanged()
{
    const QString listId = m_sandbox->seedDemo(20);
    const QList<MailchimpMember> &all = m_sandbox->list(listId)->members;
    const QString since = all.at(9).lastChanged.toString(Qt::ISODate).replace(u"Z"_s, u"+00:00"_s);
    const HttpResult r
        = get(membersPath(listId, u"?count=1000&since_last_changed="_s
                                      + QString::fromLatin1(QUrl::toPercentEncoding(since))));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json().value(u"total_items"_s).toInt(), 10);
    QCOMPARE(r.json()
                 .value(u"members"_s)
                 .toArray()
                 .at(0)
                 .toObject()
                 .value(u"email_address"_s)
                 .toString(),
             all.at(10).email);
    verifyProblem(get(membersPath(listId, u"?since_last_changed=yesterday"_s)), 400);
}

void tst_MailchimpSandbox::upsertThenRead()
{
    const QString listId = m_sandbox->seedDemo(5);
    const QString email = u"New.Person@Example.com"_s;
    const QString path = membersPath(listId, u"/"_s + MailchimpSandbox::subscriberHash(email));
    QCOMPARE(MailchimpSandbox::subscriberHash(email),
             MailchimpSandbox::subscriberHash(email.toLower()));
    // The documented example hash: md5("urist.mcvankab@freddiesjokes.com").
    QCOMPARE(MailchimpSandbox::subscriberHash(u"Urist.McVankab@freddiesjokes.com"_s),
             u"62eeb292278cc15f5817cb78f7790b08"_s);

    const QJsonObject body{{u"email_address"_s, email},
                           {u"status_if_new"_s, u"subscribed"_s},
                           {u"merge_fields"_s, QJsonObject{{u"FNAME"_s, u"Nova"_s}}},
                           {u"ip_signup"_s, u"203.0.113.7"_s},
                           {u"timestamp_signup"_s, u"2024-05-06T07:08:09+00:00"_s}};
    const HttpResult put = send("PUT", path, body);
    QCOMPARE(put.status, 200);
    QCOMPARE(put.json().value(u"status"_s).toString(), u"subscribed"_s);

    const HttpResult read = get(path);
    QCOMPARE(read.status, 200);
    const QJsonObject m = read.json();
    QCOMPARE(m.value(u"email_address"_s).toString(), email);
    QCOMPARE(m.value(u"id"_s).toString(), MailchimpSandbox::subscriberHash(email));
    QCOMPARE(m.value(u"merge_fields"_s).toObject().value(u"FNAME"_s).toString(), u"Nova"_s);
    QCOMPARE(m.value(u"ip_signup"_s).toString(), u"203.0.113.7"_s);
    QCOMPARE(m.value(u"timestamp_signup"_s).toString(), u"2024-05-06T07:08:09+00:00"_s);
    QVERIFY(!m.value(u"last_changed"_s).toString().isEmpty());
    QCOMPARE(get(membersPath(listId)).json().value(u"total_items"_s).toInt(), 6);

    // Second PUT updates: status_if_new no longer applies, status does; nothing is added.
    const HttpResult update = send("PUT", path,
                                   {{u"email_address"_s, email},
                                    {u"status_if_new"_s, u"pending"_s},
                                    {u"status"_s, u"unsubscribed"_s},
                                    {u"merge_fields"_s, QJsonObject{{u"LNAME"_s, u"Star"_s}}}});
    QCOMPARE(update.status, 200);
    const QJsonObject after = get(path).json();
    QCOMPARE(after.value(u"status"_s).toString(), u"unsubscribed"_s);
    QCOMPARE(after.value(u"merge_fields"_s).toObject().value(u"FNAME"_s).toString(), u"Nova"_s);
    QCOMPARE(after.value(u"merge_fields"_s).toObject().value(u"LNAME"_s).toString(), u"Star"_s);
    QCOMPARE(get(membersPath(listId)).json().value(u"total_items"_s).toInt(), 6);
}

void tst_MailchimpSandbox::upsertRejects_data()
{
    QTest::addColumn<QString>("pathEmail");
    QTest::addColumn<QJsonObject>("body");
    const QString e = u"someone@example.com"_s;
    QTest::newRow("no status_if_new") << e << QJsonObject{{u"email_address"_s, e}};
    QTest::newRow("hash of another address")
        << u"other@example.com"_s
        << QJsonObject{{u"email_address"_s, e}, {u"status_if_new"_s, u"subscribed"_s}};
    QTest::newRow("archived is not writable")
        << e << QJsonObject{{u"email_address"_s, e}, {u"status_if_new"_s, u"archived"_s}};
    QTest::newRow("unknown merge field")
        << e
        << QJsonObject{{u"email_address"_s, e},
                       {u"status_if_new"_s, u"subscribed"_s},
                       {u"merge_fields"_s, QJsonObject{{u"SHOESIZE"_s, u"42"_s}}}};
    QTest::newRow("invalid address") << u"not-an-address"_s
                                     << QJsonObject{{u"email_address"_s, u"not-an-address"_s},
                                                    {u"status_if_new"_s, u"subscribed"_s}};
}

void tst_MailchimpSandbox::upsertRejects()
{
    QFETCH(QString, pathEmail);
    QFETCH(QJsonObject, body);
    const QString listId = m_sandbox->seedEmpty();
    verifyProblem(send("PUT",
                       membersPath(listId, u"/"_s + MailchimpSandbox::subscriberHash(pathEmail)),
                       body),
                  400);
    QCOMPARE(m_sandbox->list(listId)->members.size(), 0);
}

void tst_MailchimpSandbox::batchSubscribe()
{
    const QString listId = m_sandbox->seedEmpty();
    const auto batch = [](int from, int n) {
        QJsonArray members;
        for (int i = from; i < from + n; ++i)
            members.append(QJsonObject{{u"email_address"_s, u"batch%1@example.com"_s.arg(i)},
                                       {u"status"_s, u"subscribed"_s}});
        return QJsonObject{{u"members"_s, members}};
    };
    const HttpResult ok = send("POST", u"/3.0/lists/"_s + listId, batch(0, 500));
    QCOMPARE(ok.status, 200);
    QCOMPARE(ok.json().value(u"total_created"_s).toInt(), 500);
    QCOMPARE(ok.json().value(u"total_updated"_s).toInt(), 0);
    QCOMPARE(ok.json().value(u"error_count"_s).toInt(), 0);
    QCOMPARE(ok.json().value(u"new_members"_s).toArray().size(), 500);
    QCOMPARE(get(membersPath(listId)).json().value(u"total_items"_s).toInt(), 500);

    const HttpResult tooMany = send("POST", u"/3.0/lists/"_s + listId, batch(1000, 501));
    verifyProblem(tooMany, 400);
    QVERIFY(tooMany.json().value(u"detail"_s).toString().contains(u"500"));
    QCOMPARE(get(membersPath(listId)).json().value(u"total_items"_s).toInt(),
             500); // nothing written
}

void tst_MailchimpSandbox::batchExistingMembers()
{
    const QString listId = m_sandbox->seedDemo(2);
    const QString existing = m_sandbox->list(listId)->members.at(0).email;
    const QJsonArray members{
        QJsonObject{{u"email_address"_s, existing}, {u"status"_s, u"unsubscribed"_s}},
        QJsonObject{{u"email_address"_s, u"fresh@example.com"_s}, {u"status"_s, u"pending"_s}},
        QJsonObject{{u"email_address"_s, u"broken@"_s}, {u"status"_s, u"subscribed"_s}}};

    const QJsonObject first
        = send("POST", u"/3.0/lists/"_s + listId, {{u"members"_s, members}}).json();
    QCOMPARE(first.value(u"total_created"_s).toInt(), 1);
    QCOMPARE(first.value(u"total_updated"_s).toInt(), 0);
    QCOMPARE(first.value(u"error_count"_s).toInt(), 2);
    const QJsonArray errors = first.value(u"errors"_s).toArray();
    QCOMPARE(errors.at(0).toObject().value(u"error_code"_s).toString(), u"ERROR_CONTACT_EXISTS"_s);
    QCOMPARE(errors.at(0).toObject().value(u"email_address"_s).toString(), existing);
    QCOMPARE(errors.at(1).toObject().value(u"error_code"_s).toString(), u"ERROR_GENERIC"_s);
    QCOMPARE(m_sandbox->list(listId)->members.at(0).status, u"subscribed"_s); // untouched

    const QJsonObject second = send("POST", u"/3.0/lists/"_s + listId,
                                    {{u"members"_s, members}, {u"update_existing"_s, true}})
                                   .json();
    QCOMPARE(second.value(u"total_created"_s).toInt(), 0);
    QCOMPARE(second.value(u"total_updated"_s).toInt(), 2);
    QCOMPARE(second.value(u"error_count"_s).toInt(), 1);
    QCOMPARE(m_sandbox->list(listId)->members.at(0).status, u"unsubscribed"_s);
}

void tst_MailchimpSandbox::faults_data()
{
    QTest::addColumn<int>("kind");
    QTest::newRow("429") << int(SandboxFaults::TooManyRequests);
    QTest::newRow("503") << int(SandboxFaults::Unavailable);
    QTest::newRow("bare 403") << int(SandboxFaults::BareForbidden);
    QTest::newRow("stall") << int(SandboxFaults::Stall);
    QTest::newRow("truncated body") << int(SandboxFaults::TruncatedBody);
}

void tst_MailchimpSandbox::faults()
{
    QFETCH(int, kind);
    const QString listId = m_sandbox->seedDemo(5);
    SandboxFaults faults;
    faults.rate = 1.0;
    faults.kinds = kind;
    m_server->setFaults(faults);

    const HttpResult r
        = call(*m_nam, m_server->baseUrl(), "GET", membersPath(listId), key, {}, 500);
    switch (kind) {
    case SandboxFaults::TooManyRequests:
        verifyProblem(r, 429);
        QCOMPARE(r.retryAfter, QByteArray("1"));
        break;
    case SandboxFaults::Unavailable:
        verifyProblem(r, 503);
        break;
    case SandboxFaults::BareForbidden:
        QCOMPARE(r.status, 403);
        QVERIFY(r.body.isEmpty());
        break;
    case SandboxFaults::Stall:
        QCOMPARE(r.status, 0); // no HTTP answer: the client's transfer timeout fired
        QCOMPARE(r.error, QNetworkReply::OperationCanceledError);
        break;
    case SandboxFaults::TruncatedBody:
        QCOMPARE(r.status, 200);
        QVERIFY(!r.body.isEmpty());
        QVERIFY(!r.isJson());
        break;
    }
}

void tst_MailchimpSandbox::noFaultsAtRateZero()
{
    SandboxFaults faults;
    faults.rate = 0.0;
    faults.kinds = SandboxFaults::TooManyRequests | SandboxFaults::Unavailable
                   | SandboxFaults::BareForbidden | SandboxFaults::Stall
                   | SandboxFaults::TruncatedBody;
    m_server->setFaults(faults);
    for (int i = 0; i < 30; ++i) {
        const HttpResult r = get(u"/3.0/ping"_s);
        QCOMPARE(r.status, 200);
        QVERIFY(r.isJson());
    }

    // A middling rate fails some and not all, and the same seed fails the same requests.
    faults.rate = 0.5;
    faults.seed = 7;
    QList<int> runs[2];
    for (auto &run : runs) {
        m_server->setFaults(faults);
        for (int i = 0; i < 30; ++i)
            run.append(
                call(*m_nam, m_server->baseUrl(), "GET", u"/3.0/ping"_s, key, {}, 300).status);
    }
    QCOMPARE(runs[0], runs[1]);
    QVERIFY(runs[0].contains(200));
    QVERIFY(runs[0].count(200) < 30);
}

void tst_MailchimpSandbox::concurrencyLimit()
{
    SandboxFaults faults;
    faults.latencyMs = 600; // keeps the requests in flight together
    m_server->setFaults(faults);
    m_server->setConcurrencyLimit(10);

    // Each manager opens at most 6 connections to one host, so two carry 11 requests at once.
    QNetworkAccessManager second;
    QList<QNetworkReply *> replies;
    for (int i = 0; i < 11; ++i) {
        QNetworkAccessManager &nam = i % 2 ? second : *m_nam;
        replies.append(nam.get(mailchimpRequest(m_server->baseUrl(), u"/3.0/ping"_s, key)));
    }
    QList<int> statuses;
    for (QNetworkReply *reply : std::as_const(replies))
        statuses.append(finish(reply).status);
    QCOMPARE(statuses.count(200), 10);
    QCOMPARE(statuses.count(429), 1);
    QCOMPARE(m_server->inFlight(), 0);
}

void tst_MailchimpSandbox::demoData()
{
    const QString a = m_sandbox->seedDemo(40);
    MailchimpSandbox other(key);
    const QString b = other.seedDemo(40);
    QCOMPARE(a, b); // deterministic ids
    const QList<MailchimpMember> &members = m_sandbox->list(a)->members;
    QSet<QString> statuses;
    bool tagged = false, consent = false;
    for (qsizetype i = 0; i < members.size(); ++i) {
        const MailchimpMember &m = members.at(i);
        QCOMPARE(m.email, other.list(b)->members.at(i).email);
        QVERIFY(m.email.endsWith(u"@example.com"));
        statuses.insert(m.status);
        tagged = tagged || !m.tags.isEmpty();
        consent = consent || (m.timestampOpt.isValid() && !m.ipOpt.isEmpty());
        QVERIFY(m.mergeFields.contains(u"FNAME"_s) && m.mergeFields.contains(u"PHONE"_s));
    }
    QCOMPARE(statuses.size(), 6);
    QVERIFY(tagged);
    QVERIFY(consent);
}

void tst_MailchimpSandbox::createListAndMergeField()
{
    // POST /lists wants the required properties of Subscriber_List_1.
    const HttpResult incomplete = send("POST", u"/3.0/lists"_s, {{u"name"_s, u"New"_s}});
    verifyProblem(incomplete, 400);
    QVERIFY(incomplete.json().value(u"detail"_s).toString().contains(u"contact.address1"_s));
    QVERIFY(m_sandbox->listIds().isEmpty());
    const QJsonObject body{
        {u"name"_s, u"New"_s},
        {u"contact"_s, QJsonObject{{u"company"_s, u"C"_s}, {u"address1"_s, u"A"_s},
                                   {u"city"_s, u"X"_s}, {u"country"_s, u"GB"_s}}},
        {u"permission_reminder"_s, u"You signed up."_s},
        {u"campaign_defaults"_s, QJsonObject{{u"from_name"_s, u"C"_s},
                                             {u"from_email"_s, u"c@example.com"_s},
                                             {u"subject"_s, QString()},
                                             {u"language"_s, u"en"_s}}},
        {u"email_type_option"_s, false}};
    const HttpResult created = send("POST", u"/3.0/lists"_s, body);
    QCOMPARE(created.status, 200);
    const QString id = created.json().value(u"id"_s).toString();
    QCOMPARE(m_sandbox->listIds(), QStringList{id});
    QCOMPARE(created.json().value(u"name"_s).toString(), u"New"_s);

    const QString fields = u"/3.0/lists/%1/merge-fields"_s.arg(id);
    const HttpResult field
        = send("POST", fields, {{u"tag"_s, u"srcstatus"_s}, {u"name"_s, u"Source"_s},
                                {u"type"_s, u"text"_s}});
    QCOMPARE(field.status, 200);
    QCOMPARE(field.json().value(u"tag"_s).toString(), u"SRCSTATUS"_s);
    QCOMPARE(m_sandbox->list(id)->mergeFields.size(), 5);
    verifyProblem(send("POST", fields,
                       {{u"tag"_s, u"SRCSTATUS"_s}, {u"name"_s, u"Again"_s}, {u"type"_s, u"text"_s}}),
                  400);
    verifyProblem(send("POST", fields,
                       {{u"tag"_s, u"X"_s}, {u"name"_s, u"X"_s}, {u"type"_s, u"colour"_s}}),
                  400);
    QCOMPARE(m_sandbox->list(id)->mergeFields.size(), 5);
}

void tst_MailchimpSandbox::accountContent()
{
    m_sandbox->seedDemo(20);
    const HttpResult root = get(u"/3.0/"_s);
    QCOMPARE(root.status, 200);
    QCOMPARE(root.json().value(u"account_name"_s).toString(), u"Northwind Outdoor Co."_s);

    QCOMPARE(get(u"/3.0/templates"_s).json().value(u"total_items"_s).toInt(), 3);
    QCOMPARE(get(u"/3.0/templates?type=base"_s).json().value(u"total_items"_s).toInt(), 1);
    const HttpResult posted = send("POST", u"/3.0/templates"_s,
                                   {{u"name"_s, u"Mine"_s}, {u"html"_s, u"<p>x</p>"_s}});
    QCOMPARE(posted.status, 200);
    const int templateId = posted.json().value(u"id"_s).toInt();
    QCOMPARE(get(u"/3.0/templates/%1/default-content"_s.arg(templateId))
                 .json()
                 .value(u"sections"_s)
                 .toObject()
                 .value(u"html"_s)
                 .toString(),
             u"<p>x</p>"_s);
    verifyProblem(send("POST", u"/3.0/templates"_s, {{u"name"_s, u"No HTML"_s}}), 400);

    QCOMPARE(get(u"/3.0/campaigns?count=1000"_s).json().value(u"total_items"_s).toInt(), 8);
    const QString yearAgo = QString::fromLatin1(QUrl::toPercentEncoding(
        QDateTime::currentDateTimeUtc().addMonths(-12).toString(Qt::ISODate)));
    QCOMPARE(get(u"/3.0/campaigns?since_send_time="_s + yearAgo)
                 .json()
                 .value(u"total_items"_s)
                 .toInt(),
             5);
    QCOMPARE(get(u"/3.0/campaigns?since_create_time="_s + yearAgo)
                 .json()
                 .value(u"total_items"_s)
                 .toInt(),
             6);
    QCOMPARE(get(u"/3.0/reports"_s).json().value(u"total_items"_s).toInt(), 7);
    verifyProblem(get(u"/3.0/campaigns?since_send_time=yesterday"_s), 400);
    const QString draft = m_sandbox->campaigns().last().id;
    verifyProblem(get(u"/3.0/reports/"_s + draft), 404); // never sent: no report
    QCOMPARE(get(u"/3.0/reports/"_s + m_sandbox->campaigns().first().id)
                 .json()
                 .value(u"abuse_reports"_s)
                 .toInt(),
             1);
    QCOMPARE(get(u"/3.0/automations"_s).json().value(u"total_items"_s).toInt(), 2);
    QCOMPARE(get(u"/3.0/verified-domains"_s).json().value(u"total_items"_s).toInt(), 2);
    QCOMPARE(get(u"/3.0/connected-sites"_s).json().value(u"total_items"_s).toInt(), 1);
    QCOMPARE(get(u"/3.0/ecommerce/stores"_s).json().value(u"total_items"_s).toInt(), 1);
    verifyProblem(send("POST", u"/3.0/automations"_s, {{u"x"_s, 1}}), 405);
}

void tst_MailchimpSandbox::abuseTagsSegments()
{
    const QString id = m_sandbox->seedDemo(30);
    const QString list = u"/3.0/lists/"_s + id;
    const QJsonObject abuse = get(list + u"/abuse-reports?count=2"_s).json();
    QCOMPARE(abuse.value(u"total_items"_s).toInt(), 3);
    QCOMPARE(abuse.value(u"abuse_reports"_s).toArray().size(), 2);
    QCOMPARE(abuse.value(u"abuse_reports"_s).toArray().at(0).toObject().value(u"email_address"_s),
             m_sandbox->list(id)->members.at(1).email);

    const QJsonObject tags = get(list + u"/tag-search?name=vi"_s).json();
    QCOMPARE(tags.value(u"total_items"_s).toInt(), 1);
    QCOMPARE(tags.value(u"tags"_s).toArray().at(0).toObject().value(u"name"_s).toString(),
             u"VIP"_s);
    QCOMPARE(get(list + u"/tag-search"_s).json().value(u"total_items"_s).toInt(), 2);

    QCOMPARE(get(list + u"/segments"_s).json().value(u"total_items"_s).toInt(), 4);
    const QJsonArray statics = get(list + u"/segments?type=static"_s).json().value(u"segments"_s).toArray();
    QCOMPARE(statics.size(), 2);
    QCOMPARE(statics.at(0).toObject().value(u"member_count"_s).toInt(), 15); // Newsletter
    QCOMPARE(get(list + u"/segments?type=saved"_s).json().value(u"total_items"_s).toInt(), 2);
    verifyProblem(get(list + u"/segments?type=dynamic"_s), 400);

    // A tag written as a static segment: created, then filled; members only.
    const HttpResult created = send("POST", list + u"/segments"_s,
                                    {{u"name"_s, u"Imported"_s}, {u"static_segment"_s, QJsonArray()}});
    QCOMPARE(created.status, 200);
    QCOMPARE(created.json().value(u"type"_s).toString(), u"static"_s);
    const int segmentId = created.json().value(u"id"_s).toInt();
    QCOMPARE(segmentId, 3);
    verifyProblem(send("POST", list + u"/segments"_s,
                       {{u"name"_s, u"Imported"_s}, {u"static_segment"_s, QJsonArray()}}),
                  400);
    const QString first = m_sandbox->list(id)->members.at(0).email;
    const QJsonObject body{
        {u"members_to_add"_s, QJsonArray{first, u"stranger@example.com"_s}}};
    const QJsonObject added
        = send("POST", list + u"/segments/%1"_s.arg(segmentId), body).json();
    QCOMPARE(added.value(u"total_added"_s).toInt(), 1);
    QCOMPARE(added.value(u"error_count"_s).toInt(), 1);
    QCOMPARE(added.value(u"errors"_s).toArray().at(0).toObject().value(u"email_addresses"_s),
             QJsonArray{u"stranger@example.com"_s});
    QVERIFY(m_sandbox->list(id)->members.at(0).tags.contains(u"Imported"_s));
    // Again: nothing new to add, and no error for the member who has it.
    QCOMPARE(send("POST", list + u"/segments/%1"_s.arg(segmentId), body)
                 .json()
                 .value(u"total_added"_s)
                 .toInt(),
             0);
    verifyProblem(send("POST", list + u"/segments/999"_s, body), 404);
}

QTEST_GUILESS_MAIN(tst_MailchimpSandbox)
#include "tst_mailchimpsandbox.moc"

void tst_MailchimpSandbox::timeText()
{
    // MailchimpSandboxDetail::time writes what QDateTime::toString wrote before it.
    const auto qt = [](const QDateTime &t) {
        return t.toUTC().toString(u"yyyy-MM-ddTHH:mm:ss'+00:00'"_s);
    };
    QCOMPARE(MailchimpSandboxDetail::time(QDateTime()), QString());
    QList<QDateTime> times{
        QDateTime(QDate(999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
        QDateTime(QDate(1000, 1, 1), QTime(0, 0), Qt::UTC),
        QDateTime(QDate(9999, 12, 31), QTime(23, 59, 59, 999), Qt::UTC),
        QDateTime(QDate(10000, 1, 1), QTime(0, 0), Qt::UTC),
        QDateTime(QDate(1, 1, 1), QTime(0, 0), Qt::UTC),
        QDateTime(QDate(-5, 6, 7), QTime(8, 9, 10), Qt::UTC),
        QDateTime(QDate(2024, 2, 29), QTime(23, 30), Qt::OffsetFromUTC, -5 * 3600),
        QDateTime(QDate(2024, 3, 1), QTime(1, 30), Qt::OffsetFromUTC, 5 * 3600),
        QDateTime(QDate(2021, 3, 28), QTime(2, 30), Qt::LocalTime),
        QDateTime::currentDateTimeUtc(),
        QDateTime::currentDateTime(),
    };
    QRandomGenerator random(11);
    const qint64 first = QDateTime(QDate(900, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    const qint64 last = QDateTime(QDate(10100, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    for (int i = 0; i < 20000; ++i) {
        const qint64 ms = first + qint64(random.bounded(double(last - first)));
        times.append(QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC));
        times.append(QDateTime::fromMSecsSinceEpoch(ms, Qt::OffsetFromUTC,
                                                    int(random.bounded(-50400, 50400))));
    }
    for (const QDateTime &t : std::as_const(times))
        QCOMPARE(MailchimpSandboxDetail::time(t), qt(t));
}

void tst_MailchimpSandbox::batchAnswersAsWritten()
{
    // Batch subscribe and tag answers are written without QJsonObject; each member in them must
    // be the bytes GET .../members/{hash} answers (a QJsonDocument), the whole answer in the
    // form QJsonDocument writes, for strings that need escapes and values of every kind.
    const QString listId = m_sandbox->seedEmpty();
    const QString odd = u"q\"b\\s/"_s + QChar(1) + QChar(0x1f) + QChar(0x7f) + QChar(0xe9)
                        + QChar(0x2028) + QString::fromUcs4(U"\U0001F600") + QChar(0xd800) + u"z"_s
                        + QChar(0xdc00);
    const QJsonArray members{
        QJsonObject{
            {u"email_address"_s, u"Odd.Person@Example.COM"_s},
            {u"status"_s, u"subscribed"_s},
            {u"merge_fields"_s,
             QJsonObject{
                 {u"FNAME"_s, odd},
                 {u"LNAME"_s, 1.5},
                 {u"BIRTHDAY"_s, 1e15},
                 {u"PHONE"_s, QJsonObject{{u"b"_s, QJsonArray{1, u"x"_s, QJsonValue::Null, true}},
                                          {odd, odd}}}}},
            {u"tags"_s, QJsonArray{odd, u"T\\2"_s, u"say \"hi\""_s, u"tab\t"_s}},
            {u"language"_s, odd},
            {u"ip_signup"_s, u"\t"_s},
            {u"timestamp_signup"_s, u"0999-01-02T03:04:05+00:00"_s},
            {u"timestamp_opt"_s, u"2024-02-29T23:59:59+05:00"_s}},
        QJsonObject{{u"email_address"_s, u"plain@example.com"_s},
                    {u"status_if_new"_s, u"pending"_s},
                    {u"merge_fields"_s, QJsonObject{{u"FNAME"_s, -0.0}, {u"LNAME"_s, false}}},
                    {u"email_type"_s, u"text"_s},
                    {u"vip"_s, true}},
        QJsonObject{{u"email_address"_s, u"not an address"_s}, {u"status"_s, u"subscribed"_s}},
        QJsonObject{{u"email_address"_s, u"third@example.com"_s}, {u"status"_s, u"archived"_s}},
    };
    const auto checkMembers = [this, listId](const HttpResult &r, const QString &key, int count) {
        QCOMPARE(r.status, 200);
        QCOMPARE(QJsonDocument::fromJson(r.body).toJson(QJsonDocument::Compact), r.body);
        const QJsonArray written = r.json().value(key).toArray();
        QCOMPARE(written.size(), count);
        for (const QJsonValue &m : written) {
            const HttpResult read
                = get(membersPath(listId, u"/"_s + m.toObject().value(u"id"_s).toString()));
            QCOMPARE(read.status, 200);
            QVERIFY2(r.body.contains(read.body), read.body.constData());
        }
    };
    HttpResult r = send("POST", u"/3.0/lists/"_s + listId, QJsonObject{{u"members"_s, members}});
    checkMembers(r, u"new_members"_s, 2);
    QCOMPARE(r.json().value(u"error_count"_s).toInt(), 2);
    r = send("POST", u"/3.0/lists/"_s + listId,
             QJsonObject{{u"members"_s, members}, {u"update_existing"_s, true}});
    checkMembers(r, u"updated_members"_s, 2);
    QCOMPARE(r.json().value(u"total_updated"_s).toInt(), 2);

    r = send("POST", u"/3.0/lists/%1/segments"_s.arg(listId),
             QJsonObject{{u"name"_s, odd + u"!"_s}, {u"static_segment"_s, QJsonArray()}});
    QCOMPARE(r.status, 200);
    const QString segment = QString::number(r.json().value(u"id"_s).toInt());
    const QString path = u"/3.0/lists/%1/segments/%2"_s.arg(listId, segment);
    r = send("POST", path,
             QJsonObject{{u"members_to_add"_s,
                          QJsonArray{u"odd.person@example.com"_s, u"PLAIN@example.com"_s,
                                     u"nobody@example.com"_s}}});
    checkMembers(r, u"members_added"_s, 2);
    QCOMPARE(r.json().value(u"error_count"_s).toInt(), 1);
    r = send("POST", path,
             QJsonObject{{u"members_to_remove"_s, QJsonArray{u" plain@example.com "_s}}});
    checkMembers(r, u"members_removed"_s, 1);
    QCOMPARE(r.json().value(u"total_removed"_s).toInt(), 1);
}
