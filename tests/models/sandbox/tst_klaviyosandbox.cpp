// The Klaviyo sandbox over real HTTP: auth and revision checks, cursor paging, profiles, lists,
// bulk import, subscribe, suppress and unsubscribe jobs, and their limits.
#include "klaviyoclient.h"

#include "sandbox/klaviyosandbox.h"
#include "sandbox/sandboxserver.h"

#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

#include <memory>

using namespace Qt::StringLiterals;

namespace {
const QString key = u"pk_sandbox_0123456789abcdef"_s;
}

class tst_KlaviyoSandbox : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void account();
    void refused_data();
    void refused();
    void paging_data();
    void paging();
    void pageSizeLimit();
    void emailFilter();
    void createDuplicatePatch();
    void lists();
    void bulkImport();
    void importLimits();
    void subscribeHistorical();
    void subscribeWithoutHistoricalImport();
    void subscribeRejects();
    void suppress();
    void suppressLimit();
    void unsubscribe();
    void injectedThrottle();
    void filters();
    void listMembers();
    void listProfileCount();
    void importErrorsAndPolling();
    void resources();
    void campaignsNeedChannel();
    void createTemplate();
    void rateWindows();
    void unsubscribeTwiceKeepsTime();
    void emailCheckMatchesExpression();
    void importSizeEdges();
    void longestJobItemText();
    void filterValuesMatchExpression();

private:
    HttpResult get(const QString &path)
    {
        return klaviyoCall(*m_nam, m_server->baseUrl(), "GET", path, key);
    }
    HttpResult send(const QByteArray &method, const QString &path, const QJsonObject &body)
    {
        return klaviyoCall(*m_nam, m_server->baseUrl(), method, path, key, body);
    }
    QJsonObject marketingOf(const QString &email)
    {
        const HttpResult r = get(u"/api/profiles?additional-fields%5Bprofile%5D=subscriptions"
                                 "&filter=equals(email,%22"_s
                                 + QString::fromLatin1(QUrl::toPercentEncoding(email)) + u"%22)"_s);
        const QJsonArray data = r.json().value(u"data"_s).toArray();
        if (r.status != 200 || data.size() != 1)
            return {};
        return data.at(0)
            .toObject()
            .value(u"attributes"_s)
            .toObject()
            .value(u"subscriptions"_s)
            .toObject()
            .value(u"email"_s)
            .toObject()
            .value(u"marketing"_s)
            .toObject();
    }
    /// A request with a body sent as these bytes (klaviyoCall writes a QJsonObject).
    HttpResult sendRaw(const QString &path, const QByteArray &body)
    {
        QNetworkRequest request(QUrl(m_server->baseUrl().toString() + path));
        request.setRawHeader("Authorization", "Klaviyo-API-Key " + key.toUtf8());
        request.setRawHeader("revision", KlaviyoSandbox::revision());
        request.setRawHeader("Content-Type", "application/vnd.api+json");
        request.setTransferTimeout(20000);
        return finish(m_nam->sendCustomRequest(request, "POST", body));
    }
    void addProfiles(int count)
    {
        for (int i = 0; i < count; ++i) {
            KlaviyoProfile p;
            p.email = u"person%1@example.com"_s.arg(i, 5, 10, QChar(u'0'));
            m_sandbox->putProfile(p);
        }
    }
    static QJsonArray emails(const QString &pattern, int count)
    {
        QJsonArray a;
        for (int i = 0; i < count; ++i)
            a.append(klaviyoProfile(pattern.arg(i)));
        return a;
    }

    std::unique_ptr<KlaviyoSandbox> m_sandbox;
    std::unique_ptr<SandboxServer> m_server;
    std::unique_ptr<QNetworkAccessManager> m_nam;
    QString m_listId;
};

void tst_KlaviyoSandbox::init()
{
    m_sandbox = std::make_unique<KlaviyoSandbox>(key);
    m_listId = m_sandbox->seedEmpty();
    m_server = std::make_unique<SandboxServer>(*m_sandbox);
    QVERIFY(m_server->listen() != 0);
    m_nam = std::make_unique<QNetworkAccessManager>();
}

void tst_KlaviyoSandbox::cleanup()
{
    m_nam.reset();
    m_server.reset();
    m_sandbox.reset();
}

void tst_KlaviyoSandbox::account()
{
    const HttpResult r = get(u"/api/accounts"_s);
    QCOMPARE(r.status, 200);
    QVERIFY(r.contentType.startsWith("application/vnd.api+json"));
    QCOMPARE(r.json().value(u"data"_s).toArray().at(0).toObject().value(u"type"_s).toString(),
             u"account"_s);
}

void tst_KlaviyoSandbox::refused_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("apiKey");
    QTest::addColumn<QByteArray>("revision");
    QTest::addColumn<QByteArray>("contentType");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("code");
    QTest::newRow("no key") << QByteArray("GET") << QString() << QByteArray("2026-07-15")
                            << QByteArray() << 401 << u"not_authenticated"_s;
    QTest::newRow("wrong key") << QByteArray("GET") << u"pk_other"_s << QByteArray("2026-07-15")
                               << QByteArray() << 401 << u"authentication_failed"_s;
    QTest::newRow("no revision") << QByteArray("GET") << key << QByteArray() << QByteArray() << 400
                                 << u"invalid"_s;
    QTest::newRow("unknown revision") << QByteArray("GET") << key << QByteArray("2019-01-01")
                                      << QByteArray() << 400 << u"invalid"_s;
    QTest::newRow("text body") << QByteArray("POST") << key << QByteArray("2026-07-15")
                               << QByteArray("text/plain") << 415 << u"unsupported_media_type"_s;
}

void tst_KlaviyoSandbox::refused()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, apiKey);
    QFETCH(QByteArray, revision);
    QFETCH(QByteArray, contentType);
    QFETCH(int, status);
    QFETCH(QString, code);
    const QJsonObject body = method == "POST"
                                 ? QJsonObject{{u"data"_s, klaviyoProfile(u"a@example.com"_s)}}
                                 : QJsonObject();
    const HttpResult r = klaviyoCall(*m_nam, m_server->baseUrl(), method, u"/api/profiles"_s,
                                     apiKey, body, revision, contentType);
    QCOMPARE(r.status, status);
    const QJsonObject error = r.json().value(u"errors"_s).toArray().at(0).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), code);
    QCOMPARE(error.value(u"status"_s).toInt(), status);
    QVERIFY(!error.value(u"id"_s).toString().isEmpty());
    QVERIFY(!error.value(u"detail"_s).toString().isEmpty());
    QVERIFY(m_sandbox->profiles().isEmpty());
}

void tst_KlaviyoSandbox::paging_data()
{
    QTest::addColumn<int>("count");
    QTest::addColumn<int>("pageSize");
    QTest::addColumn<int>("pages");
    QTest::newRow("none") << 0 << 5 << 1;
    QTest::newRow("one") << 1 << 5 << 1;
    QTest::newRow("exactly a page") << 5 << 5 << 1;
    QTest::newRow("one past a page") << 6 << 5 << 2;
    QTest::newRow("default size 20, 41") << 41 << 0 << 3;
    QTest::newRow("maximum 100, 201") << 201 << 100 << 3;
}

void tst_KlaviyoSandbox::paging()
{
    QFETCH(int, count);
    QFETCH(int, pageSize);
    QFETCH(int, pages);
    addProfiles(count);
    QSet<QString> ids;
    QSet<QString> seenEmails;
    int fetched = 0;
    int pageCount = 0;
    QString next
        = u"/api/profiles"_s + (pageSize ? u"?page%5Bsize%5D=%1"_s.arg(pageSize) : QString());
    while (!next.isEmpty()) {
        QVERIFY(pageCount < 50);
        const HttpResult r = get(next);
        QCOMPARE(r.status, 200);
        ++pageCount;
        const QJsonArray data = r.json().value(u"data"_s).toArray();
        QVERIFY(data.size() <= (pageSize ? pageSize : 20));
        for (const QJsonValue &v : data) {
            ids.insert(v.toObject().value(u"id"_s).toString());
            seenEmails.insert(
                v.toObject().value(u"attributes"_s).toObject().value(u"email"_s).toString());
            ++fetched;
        }
        const QJsonObject links = r.json().value(u"links"_s).toObject();
        QVERIFY(links.contains(u"self"_s));
        const QString nextUrl = links.value(u"next"_s).toString();
        if (nextUrl.isEmpty())
            break;
        const QUrl url(nextUrl);
        QCOMPARE(url.port(), int(m_server->port()));
        next = url.path() + u'?' + url.query(QUrl::FullyEncoded);
    }
    QCOMPARE(pageCount, pages);
    QCOMPARE(fetched, count);    // no duplicates ...
    QCOMPARE(ids.size(), count); // ... and every profile
    QCOMPARE(seenEmails.size(), count);
}

void tst_KlaviyoSandbox::pageSizeLimit()
{
    QCOMPARE(get(u"/api/profiles?page%5Bsize%5D=101"_s).status, 400);
    QCOMPARE(get(u"/api/profiles?page%5Bsize%5D=0"_s).status, 400);
    QCOMPARE(get(u"/api/profiles?page%5Bsize%5D=100"_s).status, 200);
    QCOMPARE(get(u"/api/profiles?page%5Bcursor%5D=%21%21"_s).status, 400);
    QCOMPARE(get(u"/api/lists?page%5Bsize%5D=11"_s).status, 400);
}

void tst_KlaviyoSandbox::emailFilter()
{
    addProfiles(3);
    HttpResult r = get(u"/api/profiles?filter=equals(email,%22person00001@example.com%22)"_s);
    QCOMPARE(r.status, 200);
    QJsonArray data = r.json().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data.at(0).toObject().value(u"attributes"_s).toObject().value(u"email"_s).toString(),
             u"person00001@example.com"_s);
    QVERIFY(!data.at(0).toObject().value(u"attributes"_s).toObject().contains(u"subscriptions"_s));
    r = get(u"/api/profiles?filter=equals(email,%22nobody@example.com%22)"_s);
    QCOMPARE(r.json().value(u"data"_s).toArray().size(), 0);
    QCOMPARE(get(u"/api/profiles?filter=greater-than(updated,2020)"_s).status, 400);
}

void tst_KlaviyoSandbox::createDuplicatePatch()
{
    const QJsonObject create{
        {u"data"_s,
         klaviyoProfile(u"Ada@Example.com"_s,
                        {{u"first_name"_s, u"Ada"_s},
                         {u"last_name"_s, u"Lovelace"_s},
                         {u"phone_number"_s, u"+441234567890"_s},
                         {u"locale"_s, u"en-GB"_s},
                         {u"location"_s, QJsonObject{{u"city"_s, u"London"_s}}},
                         {u"properties"_s, QJsonObject{{u"source"_s, u"mailchimp"_s}}}})}};
    HttpResult r = send("POST", u"/api/profiles"_s, create);
    QCOMPARE(r.status, 201);
    const QJsonObject data = r.json().value(u"data"_s).toObject();
    const QString id = data.value(u"id"_s).toString();
    QVERIFY(!id.isEmpty());
    QCOMPARE(data.value(u"attributes"_s).toObject().value(u"first_name"_s).toString(), u"Ada"_s);

    r = send("POST", u"/api/profiles"_s, {{u"data"_s, klaviyoProfile(u"ada@example.com"_s)}});
    QCOMPARE(r.status, 409);
    const QJsonObject error = r.json().value(u"errors"_s).toArray().at(0).toObject();
    QCOMPARE(error.value(u"code"_s).toString(), u"duplicate_profile"_s);
    QCOMPARE(error.value(u"meta"_s).toObject().value(u"duplicate_profile_id"_s).toString(), id);

    QCOMPARE(
        send("POST", u"/api/profiles"_s, {{u"data"_s, klaviyoProfile(u"not-an-email"_s)}}).status,
        400);

    QJsonObject patch
        = klaviyoProfile(u"ada@example.com"_s, {{u"last_name"_s, u"King"_s},
                                                {u"properties"_s, QJsonObject{{u"tier"_s, 2}}}});
    patch.insert(u"id"_s, id);
    r = send("PATCH", u"/api/profiles/"_s + id, {{u"data"_s, patch}});
    QCOMPARE(r.status, 200);
    r = get(u"/api/profiles/"_s + id);
    QCOMPARE(r.status, 200);
    const QJsonObject attributes
        = r.json().value(u"data"_s).toObject().value(u"attributes"_s).toObject();
    QCOMPARE(attributes.value(u"last_name"_s).toString(), u"King"_s);
    QCOMPARE(attributes.value(u"first_name"_s).toString(), u"Ada"_s);
    QCOMPARE(attributes.value(u"locale"_s).toString(), u"en-GB"_s);
    QCOMPARE(attributes.value(u"location"_s).toObject().value(u"city"_s).toString(), u"London"_s);
    QCOMPARE(attributes.value(u"properties"_s).toObject().value(u"source"_s).toString(),
             u"mailchimp"_s);
    QCOMPARE(attributes.value(u"properties"_s).toObject().value(u"tier"_s).toInt(), 2);
    QCOMPARE(get(u"/api/profiles/NOPE"_s).status, 404);
}

void tst_KlaviyoSandbox::lists()
{
    HttpResult r = send(
        "POST", u"/api/lists"_s,
        {{u"data"_s, QJsonObject{{u"type"_s, u"list"_s},
                                 {u"attributes"_s, QJsonObject{{u"name"_s, u"Imported"_s}}}}}});
    QCOMPARE(r.status, 201);
    const QString id = r.json().value(u"data"_s).toObject().value(u"id"_s).toString();
    r = get(u"/api/lists"_s);
    QCOMPARE(r.status, 200);
    const QJsonArray data = r.json().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 2);
    QCOMPARE(data.at(1).toObject().value(u"id"_s).toString(), id);
    QCOMPARE(send("POST", u"/api/lists"_s,
                  {{u"data"_s, QJsonObject{{u"type"_s, u"list"_s},
                                           {u"attributes"_s, QJsonObject{{u"name"_s, u""_s}}}}}})
                 .status,
             400);
}

void tst_KlaviyoSandbox::bulkImport()
{
    QJsonObject body
        = klaviyoJob(u"profile-bulk-import-job"_s, emails(u"import%1@example.com"_s, 250));
    QJsonObject data = body.value(u"data"_s).toObject();
    data.insert(
        u"relationships"_s,
        QJsonObject{
            {u"lists"_s, QJsonObject{{u"data"_s, QJsonArray{QJsonObject{{u"type"_s, u"list"_s},
                                                                        {u"id"_s, m_listId}}}}}}});
    body.insert(u"data"_s, data);
    HttpResult r = send("POST", u"/api/profile-bulk-import-jobs"_s, body);
    QCOMPARE(r.status, 202);
    const QString jobId = r.json().value(u"data"_s).toObject().value(u"id"_s).toString();
    QVERIFY(!jobId.isEmpty());
    r = get(u"/api/profile-bulk-import-jobs/"_s + jobId);
    QCOMPARE(r.status, 200);
    const QJsonObject attributes
        = r.json().value(u"data"_s).toObject().value(u"attributes"_s).toObject();
    QCOMPARE(attributes.value(u"status"_s).toString(), u"complete"_s);
    QCOMPARE(attributes.value(u"total_count"_s).toInt(), 250);
    QCOMPARE(attributes.value(u"completed_count"_s).toInt(), 250);
    QCOMPARE(m_sandbox->profiles().size(), 250);
    QVERIFY(m_sandbox->profileByEmail(u"import249@example.com"_s));
    QCOMPARE(m_sandbox->list(m_listId)->profileIds.size(), 250);
    // The import does not set consent.
    QCOMPARE(marketingOf(u"import7@example.com"_s).value(u"consent"_s).toString(),
             u"NEVER_SUBSCRIBED"_s);
    QCOMPARE(get(u"/api/profile-bulk-import-jobs/unknown"_s).status, 404);
}

void tst_KlaviyoSandbox::importLimits()
{
    HttpResult r
        = send("POST", u"/api/profile-bulk-import-jobs"_s,
               klaviyoJob(u"profile-bulk-import-job"_s,
                          emails(u"p%1@example.com"_s, KlaviyoSandbox::maxImportProfiles + 1)));
    QCOMPARE(r.status, 400);
    QVERIFY(m_sandbox->profiles().isEmpty());
    // Under 10,000 profiles but over 5 MB.
    QJsonArray big;
    const QString filler(800, u'x');
    for (int i = 0; i < 7000; ++i)
        big.append(klaviyoProfile(u"b%1@example.com"_s.arg(i),
                                  {{u"properties"_s, QJsonObject{{u"note"_s, filler}}}}));
    r = send("POST", u"/api/profile-bulk-import-jobs"_s,
             klaviyoJob(u"profile-bulk-import-job"_s, big));
    QCOMPARE(r.status, 413);
    QVERIFY(m_sandbox->profiles().isEmpty());
    r = send("POST", u"/api/profile-bulk-import-jobs"_s,
             klaviyoJob(u"profile-bulk-import-job"_s,
                        emails(u"p%1@example.com"_s, KlaviyoSandbox::maxImportProfiles)));
    QCOMPARE(r.status, 202);
    QCOMPARE(m_sandbox->profiles().size(), KlaviyoSandbox::maxImportProfiles);
}

void tst_KlaviyoSandbox::subscribeHistorical()
{
    const QString consentedAt = u"2021-03-04T05:06:07+00:00"_s;
    QJsonObject profile = klaviyoProfile(
        u"sub@example.com"_s,
        {{u"subscriptions"_s,
          QJsonObject{
              {u"email"_s,
               QJsonObject{{u"marketing"_s, QJsonObject{{u"consent"_s, u"SUBSCRIBED"_s},
                                                        {u"consented_at"_s, consentedAt}}}}}}}});
    const HttpResult r
        = send("POST", u"/api/profile-subscription-bulk-create-jobs"_s,
               klaviyoJob(u"profile-subscription-bulk-create-job"_s, QJsonArray{profile},
                          {{u"historical_import"_s, true},
                           {u"custom_source"_s, u"Mailchimp migration"_s}}));
    QCOMPARE(r.status, 202);
    const QJsonObject marketing = marketingOf(u"sub@example.com"_s);
    QCOMPARE(marketing.value(u"consent"_s).toString(), u"SUBSCRIBED"_s);
    QCOMPARE(QDateTime::fromString(marketing.value(u"consent_timestamp"_s).toString(),
                                   Qt::ISODateWithMs),
             QDateTime::fromString(consentedAt, Qt::ISODate));
    QCOMPARE(marketing.value(u"can_receive_email_marketing"_s).toBool(), true);
    QCOMPARE(marketing.value(u"method_detail"_s).toString(), u"Mailchimp migration"_s);
    QVERIFY(m_sandbox->doubleOptInsSent().isEmpty());
}

void tst_KlaviyoSandbox::subscribeWithoutHistoricalImport()
{
    const QJsonObject consent{
        {u"subscriptions"_s,
         QJsonObject{{u"email"_s, QJsonObject{{u"marketing"_s,
                                               QJsonObject{{u"consent"_s, u"SUBSCRIBED"_s}}}}}}}};
    // Double opt-in list: a confirmation mail, consent unchanged.
    QJsonObject body = klaviyoJob(u"profile-subscription-bulk-create-job"_s,
                                  QJsonArray{klaviyoProfile(u"doi@example.com"_s, consent)});
    QJsonObject data = body.value(u"data"_s).toObject();
    data.insert(
        u"relationships"_s,
        QJsonObject{{u"list"_s, QJsonObject{{u"data"_s, QJsonObject{{u"type"_s, u"list"_s},
                                                                    {u"id"_s, m_listId}}}}}});
    body.insert(u"data"_s, data);
    QCOMPARE(send("POST", u"/api/profile-subscription-bulk-create-jobs"_s, body).status, 202);
    QCOMPARE(marketingOf(u"doi@example.com"_s).value(u"consent"_s).toString(),
             u"NEVER_SUBSCRIBED"_s);
    QCOMPARE(m_sandbox->doubleOptInsSent(), QStringList{u"doi@example.com"_s});
    QVERIFY(m_sandbox->list(m_listId)->profileIds.size() == 1);

    // Single opt-in list: subscribed at once.
    const QString single = m_sandbox->addList(u"Single"_s, u"single_opt_in"_s);
    body = klaviyoJob(u"profile-subscription-bulk-create-job"_s,
                      QJsonArray{klaviyoProfile(u"soi@example.com"_s, consent)});
    data = body.value(u"data"_s).toObject();
    data.insert(u"relationships"_s,
                QJsonObject{{u"list"_s, QJsonObject{{u"data"_s, QJsonObject{{u"type"_s, u"list"_s},
                                                                            {u"id"_s, single}}}}}});
    body.insert(u"data"_s, data);
    QCOMPARE(send("POST", u"/api/profile-subscription-bulk-create-jobs"_s, body).status, 202);
    QCOMPARE(marketingOf(u"soi@example.com"_s).value(u"consent"_s).toString(), u"SUBSCRIBED"_s);
}

void tst_KlaviyoSandbox::subscribeRejects()
{
    const auto withConsent = [](const QString &consentedAt) {
        QJsonObject marketing{{u"consent"_s, u"SUBSCRIBED"_s}};
        if (!consentedAt.isEmpty())
            marketing.insert(u"consented_at"_s, consentedAt);
        return klaviyoProfile(
            u"x@example.com"_s,
            {{u"subscriptions"_s,
              QJsonObject{{u"email"_s, QJsonObject{{u"marketing"_s, marketing}}}}}});
    };
    const QJsonObject historical{{u"historical_import"_s, true}};
    const QString future = QDateTime::currentDateTimeUtc().addDays(3).toString(Qt::ISODate);
    for (const QJsonObject &profile : {withConsent(QString()), withConsent(future)}) {
        const HttpResult r = send(
            "POST", u"/api/profile-subscription-bulk-create-jobs"_s,
            klaviyoJob(u"profile-subscription-bulk-create-job"_s, QJsonArray{profile}, historical));
        QCOMPARE(r.status, 400);
    }
    QVERIFY(m_sandbox->profiles().isEmpty());
}

void tst_KlaviyoSandbox::suppress()
{
    addProfiles(2);
    HttpResult r = send("POST", u"/api/profile-suppression-bulk-create-jobs"_s,
                        klaviyoJob(u"profile-suppression-bulk-create-job"_s,
                                   QJsonArray{klaviyoProfile(u"person00001@example.com"_s),
                                              klaviyoProfile(u"new@example.com"_s)}));
    QCOMPARE(r.status, 202);
    const QString jobId = r.json().value(u"data"_s).toObject().value(u"id"_s).toString();
    QCOMPARE(get(u"/api/profile-suppression-bulk-create-jobs/"_s + jobId).status, 200);
    for (const QString &email : {u"person00001@example.com"_s, u"new@example.com"_s}) {
        const QJsonObject marketing = marketingOf(email);
        QCOMPARE(marketing.value(u"can_receive_email_marketing"_s).toBool(true), false);
        QCOMPARE(marketing.value(u"suppression"_s)
                     .toArray()
                     .at(0)
                     .toObject()
                     .value(u"reason"_s)
                     .toString(),
                 u"USER_SUPPRESSED"_s);
    }
    QCOMPARE(marketingOf(u"person00000@example.com"_s)
                 .value(u"can_receive_email_marketing"_s)
                 .toBool(false),
             true);
}

void tst_KlaviyoSandbox::suppressLimit()
{
    const HttpResult r = send(
        "POST", u"/api/profile-suppression-bulk-create-jobs"_s,
        klaviyoJob(u"profile-suppression-bulk-create-job"_s, emails(u"s%1@example.com"_s, 101)));
    QCOMPARE(r.status, 400);
    QVERIFY(m_sandbox->profiles().isEmpty());
    QCOMPARE(send("POST", u"/api/profile-subscription-bulk-delete-jobs"_s,
                  klaviyoJob(u"profile-subscription-bulk-delete-job"_s,
                             emails(u"s%1@example.com"_s, 101)))
                 .status,
             400);
    QCOMPARE(send("POST", u"/api/profile-suppression-bulk-create-jobs"_s,
                  klaviyoJob(u"profile-suppression-bulk-create-job"_s,
                             emails(u"s%1@example.com"_s, 100)))
                 .status,
             202);
}

void tst_KlaviyoSandbox::unsubscribe()
{
    addProfiles(1);
    const HttpResult r = send("POST", u"/api/profile-subscription-bulk-delete-jobs"_s,
                              klaviyoJob(u"profile-subscription-bulk-delete-job"_s,
                                         QJsonArray{klaviyoProfile(u"person00000@example.com"_s)}));
    QCOMPARE(r.status, 202);
    const QJsonObject marketing = marketingOf(u"person00000@example.com"_s);
    QCOMPARE(marketing.value(u"consent"_s).toString(), u"UNSUBSCRIBED"_s);
    QCOMPARE(marketing.value(u"can_receive_email_marketing"_s).toBool(true), false);
}

void tst_KlaviyoSandbox::injectedThrottle()
{
    SandboxFaults faults;
    faults.rate = 1.0;
    faults.kinds = SandboxFaults::TooManyRequests;
    faults.retryAfterSeconds = 3;
    m_server->setFaults(faults);
    const HttpResult r = get(u"/api/accounts"_s);
    QCOMPARE(r.status, 429);
    QCOMPARE(r.retryAfter, QByteArray("3"));
    QCOMPARE(r.json().value(u"errors"_s).toArray().at(0).toObject().value(u"code"_s).toString(),
             u"throttled"_s);
}

void tst_KlaviyoSandbox::filters()
{
    addProfiles(3);
    KlaviyoProfile old;
    old.email = u"old@example.com"_s;
    old.created = old.updated = QDateTime::fromString(u"2019-05-05T00:00:00Z"_s, Qt::ISODate);
    m_sandbox->putProfile(old);
    const auto count = [this](const QString &filter) {
        const HttpResult r = get(u"/api/profiles?filter="_s
                                 + QString::fromLatin1(QUrl::toPercentEncoding(filter)));
        return r.status == 200 ? int(r.json().value(u"data"_s).toArray().size()) : -r.status;
    };
    QCOMPARE(count(u"any(email,[\"person00000@example.com\",\"PERSON00002@example.com\"])"_s), 2);
    QCOMPARE(count(u"any(email,[\"nobody@example.com\"])"_s), 0);
    QCOMPARE(count(u"equals(email,'old@example.com')"_s), 1);
    QCOMPARE(count(u"greater-than(updated,2020-01-01T00:00:00+00:00)"_s), 3);
    QCOMPARE(count(u"greater-than(created,2010-01-01T00:00:00Z)"_s), 4);
    QCOMPARE(count(u"greater-than(updated,yesterday)"_s), -400);
    QCOMPARE(count(u"equals(first_name,\"Ada\")"_s), -400);
    QCOMPARE(count(u"nonsense"_s), -400);

    m_sandbox->addList(u"Other"_s);
    m_sandbox->addList(u"The \"Best\" list"_s);
    const auto lists = [this](const QString &filter) {
        const HttpResult r
            = get(u"/api/lists?filter="_s + QString::fromLatin1(QUrl::toPercentEncoding(filter)));
        QStringList names;
        for (const QJsonValue &l : r.json().value(u"data"_s).toArray())
            names.append(
                l.toObject().value(u"attributes"_s).toObject().value(u"name"_s).toString());
        return r.status == 200 ? names : QStringList{QString::number(r.status)};
    };
    QCOMPARE(lists(u"equals(name,\"Other\")"_s), QStringList{u"Other"_s});
    QCOMPARE(lists(u"equals(name,\"The \\\"Best\\\" list\")"_s),
             QStringList{u"The \"Best\" list"_s});
    QCOMPARE(lists(u"any(name,[\"Other\",\"Newsletter\"])"_s),
             (QStringList{u"Newsletter"_s, u"Other"_s}));
    QCOMPARE(lists(u"equals(name,\"Missing\")"_s), QStringList());
    QCOMPARE(lists(u"greater-than(created,2020-01-01T00:00:00Z)"_s), QStringList{u"400"_s});
}

void tst_KlaviyoSandbox::listMembers()
{
    addProfiles(5);
    const QList<KlaviyoProfile> all = m_sandbox->profiles();
    m_sandbox->addToList(m_listId, all.at(3).id);
    m_sandbox->addToList(m_listId, all.at(1).id);
    HttpResult r = get(
        u"/api/lists/%1/profiles?page%5Bsize%5D=1&additional-fields%5Bprofile%5D=subscriptions"_s
            .arg(m_listId));
    QCOMPARE(r.status, 200);
    QJsonArray data = r.json().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 1);
    const QJsonObject first = data.first().toObject().value(u"attributes"_s).toObject();
    QCOMPARE(first.value(u"email"_s).toString(), all.at(1).email);
    QVERIFY(
        QDateTime::fromString(first.value(u"joined_group_at"_s).toString(), Qt::ISODate).isValid());
    QVERIFY(first.contains(u"subscriptions"_s));
    const QString next = r.json().value(u"links"_s).toObject().value(u"next"_s).toString();
    QVERIFY(next.contains(u"/api/lists/%1/profiles/"_s.arg(m_listId)));
    r = klaviyoCall(*m_nam, QUrl(), "GET", next, key);
    QCOMPARE(r.status, 200);
    data = r.json().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(data.first().toObject().value(u"attributes"_s).toObject().value(u"email"_s).toString(),
             all.at(3).email);
    QVERIFY(!r.json().value(u"links"_s).toObject().contains(u"next"_s));
    QCOMPARE(get(u"/api/lists/nope/profiles"_s).status, 404);
    QCOMPARE(get(u"/api/lists/%1/profiles?filter=greater-than(updated,2020-01-01T00:00:00Z)"_s.arg(
                     m_listId))
                 .status,
             400);
}

void tst_KlaviyoSandbox::listProfileCount()
{
    addProfiles(3);
    for (const KlaviyoProfile &p : m_sandbox->profiles())
        m_sandbox->addToList(m_listId, p.id);
    HttpResult r = get(u"/api/lists/%1?additional-fields%5Blist%5D=profile_count"_s.arg(m_listId));
    QCOMPARE(r.status, 200);
    QCOMPARE(r.json()
                 .value(u"data"_s)
                 .toObject()
                 .value(u"attributes"_s)
                 .toObject()
                 .value(u"profile_count"_s)
                 .toInt(-1),
             3);
    r = get(u"/api/lists/%1"_s.arg(m_listId));
    QVERIFY(!r.json()
                 .value(u"data"_s)
                 .toObject()
                 .value(u"attributes"_s)
                 .toObject()
                 .contains(u"profile_count"_s));
}

void tst_KlaviyoSandbox::importErrorsAndPolling()
{
    m_sandbox->setImportJobPolls(2);
    HttpResult r = send(
        "POST", u"/api/profile-bulk-import-jobs"_s,
        klaviyoJob(u"profile-bulk-import-job"_s,
                   QJsonArray{klaviyoProfile(u"bad one"_s), klaviyoProfile(u"ok@example.com"_s),
                              klaviyoProfile(u"x@y"_s),
                              klaviyoProfile(u"p@example.com"_s, {{u"phone_number"_s, u"12"_s}}),
                              klaviyoProfile(u"big@example.com"_s,
                                             {{u"properties"_s,
                                               QJsonObject{{u"n"_s, QString(102400, u'z')}}}})}));
    QCOMPARE(r.status, 202);
    const QJsonObject job = r.json().value(u"data"_s).toObject();
    QCOMPARE(job.value(u"attributes"_s).toObject().value(u"status"_s).toString(), u"queued"_s);
    const QString path = u"/api/profile-bulk-import-jobs/"_s + job.value(u"id"_s).toString();
    QStringList statuses;
    for (int i = 0; i < 3; ++i)
        statuses.append(get(path)
                            .json()
                            .value(u"data"_s)
                            .toObject()
                            .value(u"attributes"_s)
                            .toObject()
                            .value(u"status"_s)
                            .toString());
    QCOMPARE(statuses, (QStringList{u"processing"_s, u"processing"_s, u"complete"_s}));
    const QJsonObject done
        = get(path).json().value(u"data"_s).toObject().value(u"attributes"_s).toObject();
    QCOMPARE(done.value(u"completed_count"_s).toInt(), 1);
    QCOMPARE(done.value(u"failed_count"_s).toInt(), 4);
    QVERIFY(!m_sandbox->profileByEmail(u"big@example.com"_s));
    // The profiles were written at once: the job only reports late.
    QVERIFY(m_sandbox->profileByEmail(u"ok@example.com"_s));

    QStringList pointers;
    QStringList payloadEmails;
    QString next = m_server->baseUrl().toString() + path + u"/import-errors?page%5Bsize%5D=2"_s;
    int pages = 0;
    while (!next.isEmpty() && pages < 5) {
        r = klaviyoCall(*m_nam, QUrl(), "GET", next, key);
        QCOMPARE(r.status, 200);
        for (const QJsonValue &e : r.json().value(u"data"_s).toArray()) {
            const QJsonObject a = e.toObject().value(u"attributes"_s).toObject();
            QCOMPARE(e.toObject().value(u"type"_s).toString(), u"import-error"_s);
            pointers.append(a.value(u"source"_s).toObject().value(u"pointer"_s).toString());
            payloadEmails.append(
                a.value(u"original_payload"_s).toObject().value(u"email"_s).toString());
        }
        next = r.json().value(u"links"_s).toObject().value(u"next"_s).toString();
        ++pages;
    }
    QCOMPARE(pages, 2);
    QCOMPARE(pointers, (QStringList{u"/data/attributes/profiles/data/0/attributes/email"_s,
                                    u"/data/attributes/profiles/data/2/attributes/email"_s,
                                    u"/data/attributes/profiles/data/3/attributes/email"_s,
                                    u"/data/attributes/profiles/data/4/attributes/email"_s}));
    QCOMPARE(payloadEmails,
             (QStringList{u"bad one"_s, u"x@y"_s, u"p@example.com"_s, u"big@example.com"_s}));
    QCOMPARE(get(u"/api/profile-bulk-import-jobs/nope/import-errors"_s).status, 404);
}

void tst_KlaviyoSandbox::resources()
{
    for (int i = 0; i < 12; ++i) {
        m_sandbox->addSegment(u"S%1"_s.arg(i));
        m_sandbox->addTemplate(u"T%1"_s.arg(i), u"<p>%1</p>"_s.arg(i));
    }
    m_sandbox->addTag(u"red"_s);
    m_sandbox->addFlow(u"Welcome"_s, u"live"_s);
    const auto all = [this](const QString &first) {
        QStringList names;
        QString next = m_server->baseUrl().toString() + first;
        while (!next.isEmpty() && names.size() < 100) {
            const HttpResult r = klaviyoCall(*m_nam, QUrl(), "GET", next, key);
            if (r.status != 200)
                return QStringList{QString::number(r.status)};
            for (const QJsonValue &v : r.json().value(u"data"_s).toArray())
                names.append(
                    v.toObject().value(u"attributes"_s).toObject().value(u"name"_s).toString());
            next = r.json().value(u"links"_s).toObject().value(u"next"_s).toString();
        }
        return names;
    };
    QCOMPARE(all(u"/api/segments"_s).size(), 12);
    QCOMPARE(all(u"/api/segments?page%5Bsize%5D=5"_s).size(), 12);
    QCOMPARE(all(u"/api/segments?page%5Bsize%5D=11"_s), QStringList{u"400"_s});
    QCOMPARE(all(u"/api/templates"_s).size(), 12);
    QCOMPARE(all(u"/api/templates?filter=equals(name,%22T3%22)"_s), QStringList{u"T3"_s});
    QCOMPARE(all(u"/api/tags"_s), QStringList{u"red"_s});
    QCOMPARE(all(u"/api/flows"_s), QStringList{u"Welcome"_s});
    const QString id = m_sandbox->templates().at(3).id;
    const HttpResult one = get(u"/api/templates/"_s + id);
    QCOMPARE(one.status, 200);
    QCOMPARE(one.json()
                 .value(u"data"_s)
                 .toObject()
                 .value(u"attributes"_s)
                 .toObject()
                 .value(u"html"_s)
                 .toString(),
             u"<p>3</p>"_s);
    QCOMPARE(get(u"/api/templates/nope"_s).status, 404);
    QCOMPARE(send("POST", u"/api/tags"_s, {{u"data"_s, QJsonObject()}}).status, 405);
}

void tst_KlaviyoSandbox::campaignsNeedChannel()
{
    m_sandbox->addCampaign(u"Mail"_s, u"Sent"_s, QDateTime::currentDateTimeUtc());
    m_sandbox->addCampaign(u"Text"_s, u"Draft"_s, {}, u"sms"_s);
    HttpResult r = get(u"/api/campaigns"_s);
    QCOMPARE(r.status, 400);
    QVERIFY(QString::fromUtf8(r.body).contains(u"channel filter"_s));
    r = get(u"/api/campaigns?filter=equals(messages.channel,%27email%27)"_s);
    QCOMPARE(r.status, 200);
    QJsonArray data = r.json().value(u"data"_s).toArray();
    QCOMPARE(data.size(), 1);
    const QJsonObject a = data.first().toObject().value(u"attributes"_s).toObject();
    QCOMPARE(a.value(u"name"_s).toString(), u"Mail"_s);
    QVERIFY(!a.contains(u"sandbox_channel"_s));
    r = get(u"/api/campaigns?filter=equals(messages.channel,%27sms%27)"_s);
    QCOMPARE(r.json().value(u"data"_s).toArray().size(), 1);
}

void tst_KlaviyoSandbox::createTemplate()
{
    const auto post = [this](const QJsonObject &attributes) {
        return send(
            "POST", u"/api/templates"_s,
            {{u"data"_s, QJsonObject{{u"type"_s, u"template"_s}, {u"attributes"_s, attributes}}}});
    };
    HttpResult r
        = post({{u"name"_s, u"A"_s}, {u"editor_type"_s, u"CODE"_s}, {u"html"_s, u"<b>a</b>"_s}});
    QCOMPARE(r.status, 201);
    QCOMPARE(r.json()
                 .value(u"data"_s)
                 .toObject()
                 .value(u"attributes"_s)
                 .toObject()
                 .value(u"editor_type"_s)
                 .toString(),
             u"CODE"_s);
    QCOMPARE(post({{u"name"_s, u"B"_s}, {u"editor_type"_s, u"CODE"_s}}).status, 400);
    QCOMPARE(post({{u"name"_s, u"C"_s}, {u"editor_type"_s, u"WORD"_s}, {u"html"_s, u"x"_s}}).status,
             400);
    QCOMPARE(post({{u"editor_type"_s, u"CODE"_s}, {u"html"_s, u"x"_s}}).status, 400);
    QCOMPARE(m_sandbox->templates().size(), 1);
}

void tst_KlaviyoSandbox::rateWindows()
{
    const auto call = [this](const QString &path) {
        QNetworkRequest request(QUrl(m_server->baseUrl().toString() + path));
        request.setRawHeader("Authorization", "Klaviyo-API-Key " + key.toUtf8());
        request.setRawHeader("revision", "2026-07-15");
        QNetworkReply *reply = m_nam->get(request);
        QSignalSpy spy(reply, &QNetworkReply::finished);
        spy.wait(5000);
        reply->deleteLater();
        return reply;
    };
    // Off by default: no windows, no RateLimit headers.
    for (int i = 0; i < 3; ++i) {
        QNetworkReply *r = call(u"/api/accounts"_s);
        QCOMPARE(r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        QVERIFY(r->rawHeader("RateLimit-Limit").isEmpty());
    }
    m_sandbox->setRateLimitsEnforced(true);
    QNetworkReply *ok = call(u"/api/accounts"_s);
    QCOMPARE(ok->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    QCOMPARE(ok->rawHeader("RateLimit-Limit"), QByteArray("15"));
    QCOMPARE(ok->rawHeader("RateLimit-Remaining"), QByteArray("14"));
    const int reset = ok->rawHeader("RateLimit-Reset").toInt();
    QVERIFY(reset >= 1 && reset <= 60);
    QNetworkReply *refused = call(u"/api/accounts"_s); // get_accounts: 1/s burst
    QCOMPARE(refused->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
    QCOMPARE(refused->rawHeader("Retry-After"), QByteArray("1"));
    QVERIFY(refused->rawHeader("RateLimit-Limit").isEmpty());
    // Another operation has its own windows.
    QCOMPARE(call(u"/api/lists"_s)->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
             200);
    // A steady window spent: Retry-After until the minute ends.
    m_sandbox->setRateLimit(u"get_tags"_s, 100, 2);
    QCOMPARE(call(u"/api/tags"_s)->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(),
             200);
    QCOMPARE(call(u"/api/tags"_s)->rawHeader("RateLimit-Remaining"), QByteArray("0"));
    QNetworkReply *steady = call(u"/api/tags"_s);
    QCOMPARE(steady->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 429);
    QVERIFY(steady->rawHeader("Retry-After").toInt() > 1);
    QCOMPARE(m_sandbox->operationCounts().value(u"get_tags"_s), 3);
}

void tst_KlaviyoSandbox::unsubscribeTwiceKeepsTime()
{
    const QJsonObject job = klaviyoJob(u"profile-subscription-bulk-delete-job"_s,
                                       QJsonArray{klaviyoProfile(u"left@example.com"_s)});
    QCOMPARE(send("POST", u"/api/profile-subscription-bulk-delete-jobs"_s, job).status, 202);
    const QDateTime first = m_sandbox->profileByEmail(u"left@example.com"_s)->consentTimestamp;
    QTest::qWait(5);
    QCOMPARE(send("POST", u"/api/profile-subscription-bulk-delete-jobs"_s, job).status, 202);
    const KlaviyoProfile *p = m_sandbox->profileByEmail(u"left@example.com"_s);
    QCOMPARE(p->consentTimestamp, first);
    QCOMPARE(p->consent, u"UNSUBSCRIBED"_s);
    QCOMPARE(p->suppression.size(), 1);
}

QTEST_GUILESS_MAIN(tst_KlaviyoSandbox)
#include "tst_klaviyosandbox.moc"

void tst_KlaviyoSandbox::emailCheckMatchesExpression()
{
    // KlaviyoCheck::validEmail replaced this expression; both must take the same strings.
    const QRegularExpression expression(u"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"_s);
    QStringList differing;
    const auto compare = [&](const QString &s) {
        if (expression.match(s).hasMatch() != KlaviyoCheck::validEmail(s) && differing.size() < 10)
            differing.append(QString::fromLatin1(s.toUtf8().toPercentEncoding()));
    };
    // Every UTF-16 unit (lone surrogates included) in every place of an address.
    const QStringList shapes{u"%1a@b.co"_s,  u"a%1@b.co"_s, u"a@%1b.co"_s,   u"a@b%1.co"_s,
                             u"a@b.%1co"_s,  u"a@b.co%1"_s, u"a@b.co%1%1"_s, u"%1@b.co"_s,
                             u"a@%1.co"_s,   u"a@b.%1"_s,   u"a@b%1co"_s,    u"a%1b.co"_s,
                             u"a@b.c\n%1"_s, u"%1"_s};
    for (int unit = 0; unit <= 0xffff; ++unit) {
        const QString c{QChar(char16_t(unit))};
        for (const QString &shape : shapes)
            compare(QString(shape).replace(u"%1"_s, c));
    }
    const QString pair = QString::fromUcs4(U"\U0001F600");
    for (const QString &s : QStringList{QString(),
                                        u"@"_s,
                                        u"a@b.c"_s,
                                        u"a@b.c\n"_s,
                                        u"a@b.c\n\n"_s,
                                        u"a@b.c\r\n"_s,
                                        u"a@b.c\r"_s,
                                        u"\na@b.c"_s,
                                        u"a@b.c \n"_s,
                                        u"a@.b.c"_s,
                                        u"a@b.c."_s,
                                        u"a@b..c"_s,
                                        u"a@@b.c"_s,
                                        u"a@b@c.d"_s,
                                        u"a.b@c"_s,
                                        u"a@b.c.d"_s,
                                        u"\n@b.c"_s,
                                        u"a@\n.c"_s,
                                        u"a@b.\n"_s,
                                        u"a@b.c\u0085"_s,
                                        u"a@b.c\u2028"_s,
                                        u"a\u00a0@b.c"_s,
                                        u"a@b\u3000.c"_s,
                                        pair + u"@b.c"_s,
                                        u"a@"_s + pair + u".c"_s,
                                        u"a@b."_s + pair,
                                        u"a@b.c"_s + pair,
                                        u"a@b.c"_s + pair.at(0),
                                        u"a@b.c"_s + pair.at(1),
                                        QString(pair.at(1)) + pair.at(0) + u"@b.c"_s,
                                        u"a@b"_s + pair.at(0) + u".c"_s,
                                        pair + u"@"_s + pair + u"."_s + pair})
        compare(s);
    // Short random strings over the characters that matter.
    const QList<QChar> alphabet{u'a',       u'@',       u'.',        u' ',       u'\n',
                                u'\r',      u'\t',      u'\v',       u'\f',      QChar(0xe9),
                                pair.at(0), pair.at(1), QChar(0xa0), QChar(0x85)};
    QRandomGenerator random(7);
    for (int i = 0; i < 200000; ++i) {
        QString s;
        const int length = int(random.bounded(9));
        for (int j = 0; j < length; ++j)
            s.append(alphabet.at(int(random.bounded(quint32(alphabet.size())))));
        compare(s);
    }
    QCOMPARE(differing, QStringList());
}

void tst_KlaviyoSandbox::importSizeEdges()
{
    // Profiles whose compact JSON is exactly 100 KB are imported, one byte more is refused:
    // plain text, raw control characters (one byte in the body, six once written) and numbers
    // written longer than they were sent (1e18 becomes 19 digits).
    const qsizetype limit = KlaviyoSandbox::maxImportProfileBytes;
    QList<QByteArray> items;
    QStringList expectedRefused;
    QStringList expectedImported;
    const auto add
        = [&](const QString &email, const QByteArray &raw, qsizetype written, bool refused) {
              // The item as sent, and the length of the same item written by QJsonDocument.
              const QByteArray item = "{\"type\":\"profile\",\"attributes\":{\"email\":\""
                                      + email.toUtf8() + "\",\"properties\":{\"n\":" + raw + "}}}";
              const QJsonDocument doc = QJsonDocument::fromJson(item);
              QVERIFY(doc.isObject());
              QCOMPARE(doc.toJson(QJsonDocument::Compact).size(), written);
              items.append(item);
              (refused ? expectedRefused : expectedImported).append(email);
          };
    // The addresses have the same length, so the same overhead.
    const qsizetype overhead
        = QJsonDocument::fromJson(
              "{\"type\":\"profile\",\"attributes\":{\"email\":\"text0@example.com\","
              "\"properties\":{\"n\":\"\"}}}")
              .toJson(QJsonDocument::Compact)
              .size();
    for (int extra = -1; extra <= 1; ++extra) {
        // Plain text: written as sent.
        add(u"text%1@example.com"_s.arg(extra + 1),
            '"' + QByteArray(limit - overhead + extra, 'z') + '"', limit + extra, extra > 0);
        // Raw control characters: each is written as a six-byte escape.
        const qsizetype units = limit - overhead + extra;
        add(u"ctrl%1@example.com"_s.arg(extra + 1),
            '"' + QByteArray(units / 6, '\x01') + QByteArray(units % 6, 'q') + '"', limit + extra,
            extra > 0);
    }
    // Numbers: [1e18,...,"zz"] is written [1000000000000000000,...,"zz"] ("" and [] are as long).
    for (int extra = -1; extra <= 1; ++extra) {
        const qsizetype room = limit - overhead + extra; // what is written between [ and ]
        const qsizetype count = (room - 3) / 20;         // 19 digits and a comma each
        const qsizetype rest = room - (count * 20 - 1);  // a string element fills the rest
        QByteArray raw = "[";
        for (qsizetype i = 0; i < count; ++i)
            raw += i ? ",1e18" : "1e18";
        raw += ",\"" + QByteArray(rest - 3, 'z') + "\"]";
        add(u"numb%1@example.com"_s.arg(extra + 1), raw, limit + extra, extra > 0);
    }
    items.append("{\"type\":\"profile\",\"attributes\":{\"email\":\"small@example.com\"}}");
    expectedImported.append(u"small@example.com"_s);
    const QByteArray body
        = "{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":{\"profiles\":{\"data\":["
          + items.join(',') + "]}}}}";
    HttpResult r = sendRaw(u"/api/profile-bulk-import-jobs"_s, body);
    QCOMPARE(r.status, 202);
    const QJsonObject job = r.json().value(u"data"_s).toObject();
    QCOMPARE(job.value(u"attributes"_s).toObject().value(u"completed_count"_s).toInt(),
             int(expectedImported.size()));
    QCOMPARE(job.value(u"attributes"_s).toObject().value(u"failed_count"_s).toInt(),
             int(expectedRefused.size()));
    for (const QString &email : std::as_const(expectedImported))
        QVERIFY2(m_sandbox->profileByEmail(email), qPrintable(email));
    for (const QString &email : std::as_const(expectedRefused))
        QVERIFY2(!m_sandbox->profileByEmail(email), qPrintable(email));
    r = get(u"/api/profile-bulk-import-jobs/"_s + job.value(u"id"_s).toString()
            + u"/import-errors?page%5Bsize%5D=100"_s);
    QCOMPARE(r.status, 200);
    QStringList refused;
    for (const QJsonValue &e : r.json().value(u"data"_s).toArray()) {
        const QJsonObject a = e.toObject().value(u"attributes"_s).toObject();
        QCOMPARE(a.value(u"detail"_s).toString(),
                 u"The profile exceeds the maximum size of 100 KB."_s);
        refused.append(a.value(u"original_payload"_s).toObject().value(u"email"_s).toString());
    }
    QCOMPARE(refused, expectedRefused);
}

void tst_KlaviyoSandbox::longestJobItemText()
{
    // The elements of data.attributes.profiles.data (and of other arrays as deep); brackets and
    // escaped quotes inside strings are text.
    const QByteArray first = "{\"type\":\"profile\",\"attributes\":{\"email\":\"a]}[{@x.io\\\"\"}}";
    const QByteArray second = "{ \"attributes\" : { \"email\" : \"b@x.io\", \"properties\" : "
                              "{ \"list\" : [ 1, [ 2, { \"c\" : \"}}}}\" } ] ] } } }";
    const QByteArray body = "{\"data\":{\"type\":\"profile-bulk-import-job\",\"attributes\":"
                            "{\"profiles\":{\"data\":["
                            + first + ",\"text\",7,null," + second
                            + "]}},\"relationships\":{\"lists\":{\"data\":[{\"id\":\"L\"}]}}}}";
    QVERIFY(QJsonDocument::fromJson(body).isObject());
    QCOMPARE(KlaviyoCheck::longestJobItemText(body), second.size());
    // A string that ends in an escaped backslash ends at the quote after it.
    const QByteArray third = "{\"n\":\"]]\\\\\",\"m\":\"" + QByteArray(200, '[') + "\"}";
    const QByteArray withThird
        = "{\"data\":{\"attributes\":{\"profiles\":{\"data\":[" + first + ',' + third + "]}}}}";
    QVERIFY(QJsonDocument::fromJson(withThird).isObject());
    QCOMPARE(KlaviyoCheck::longestJobItemText(withThird), third.size());
    QCOMPARE(KlaviyoCheck::longestJobItemText(
                 "{\"data\":{\"type\":\"x\",\"attributes\":{\"profiles\":{\"data\":[]}}}}"),
             0);
    // Shallower arrays do not count: [[[[[{...}]]]]] nests the object six deep under arrays.
    QCOMPARE(KlaviyoCheck::longestJobItemText("[[[[[{\"a\":1}]]]]]"), 7);
    QCOMPARE(KlaviyoCheck::longestJobItemText("[[[[{\"a\":1}]]]]"), 0);

    // What an item can grow to once written: at most maxJsonGrowth times its text.
    const QList<QByteArray> worst{"{\"n\":\"" + QByteArray(1000, '\x01') + "\"}",
                                  "{\"n\":[1e18,1e18,-1e18,9e18]}", "{\"n\":[1e5,1e-7,1E2,0.1e1]}",
                                  "{\"n\":\"\\u00e9\\/\\ud800\x7f\"}",
                                  "{\"\x01\x02\":\"\x03\",\"m\":true}"};
    for (const QByteArray &item : worst) {
        const QJsonDocument doc = QJsonDocument::fromJson(item);
        QVERIFY2(doc.isObject(), item.constData());
        QVERIFY2(doc.toJson(QJsonDocument::Compact).size() <= 6 * item.size(), item.constData());
        QVERIFY(6 <= KlaviyoCheck::maxJsonGrowth);
    }
}

namespace {

/// KlaviyoFilter::parse as it was with QRegularExpression::globalMatch for the quoted values.
std::optional<KlaviyoFilter::Expression> parseWithExpression(const QString &text)
{
    static const QRegularExpression call(u"^([a-z-]+)\\(([A-Za-z_.]+),(.*)\\)$"_s,
                                         QRegularExpression::DotMatchesEverythingOption);
    static const QRegularExpression quotedRe(
        u"\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)'"_s);
    const auto m = call.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    KlaviyoFilter::Expression e{m.captured(1), m.captured(2), {}};
    const QString value = m.captured(3).trimmed();
    const auto unescape = [](QString v) {
        return v.replace(u"\\\""_s, u"\""_s).replace(u"\\'"_s, u"'"_s).replace(u"\\\\"_s, u"\\"_s);
    };
    if (value.startsWith(u'[') || value.startsWith(u'"') || value.startsWith(u'\'')) {
        auto it = quotedRe.globalMatch(value);
        while (it.hasNext()) {
            const auto q = it.next();
            e.values.append(unescape(q.captured(1).isNull() ? q.captured(2) : q.captured(1)));
        }
        if (e.values.isEmpty() && value != u"[]")
            return std::nullopt;
    } else {
        e.values.append(value);
    }
    return e;
}

} // namespace

void tst_KlaviyoSandbox::filterValuesMatchExpression()
{
    QStringList differing;
    const auto compare = [&differing](const QString &text) {
        const auto mine = KlaviyoFilter::parse(text);
        const auto theirs = parseWithExpression(text);
        const bool same = mine.has_value() == theirs.has_value()
                          && (!mine
                              || (mine->op == theirs->op && mine->field == theirs->field
                                  && mine->values == theirs->values));
        if (!same && differing.size() < 10)
            differing.append(QString::fromLatin1(text.toUtf8().toPercentEncoding()));
    };
    const QString pair = QString::fromUcs4(U"\U0001F600");
    for (const QString &value :
         QStringList{u"[\"a@x.io\",\"b@x.io\"]"_s, u"['a@x.io', \"b@x.io\"]"_s, u"\"a\\\"b\""_s,
                     u"'it\\'s'"_s, u"[\"a\\\\\",\"b\"]"_s, u"[\"unclosed, \"b\"]"_s,
                     u"[\"a\\\n\", \"b\"]"_s, u"[\"line\nbreak\"]"_s, u"[]"_s, u"[ ]"_s, u"\"\""_s,
                     u"''"_s, u"[\"\\\"]"_s, u"[\"\\"_s + pair + u"\"]"_s, u"['\"', \"'\"]"_s,
                     u"bare"_s, u"2024-01-01T00:00:00Z"_s})
        compare(u"any(email,"_s + value + u")"_s);
    const QList<QChar> alphabet{u'"', u'\'', u'\\', u'a',        u',',       u'[',
                                u']', u'\n', u' ',  QChar(0xe9), pair.at(0), pair.at(1)};
    QRandomGenerator random(5);
    for (int i = 0; i < 100000; ++i) {
        QString value;
        const int length = int(random.bounded(13));
        for (int j = 0; j < length; ++j)
            value.append(alphabet.at(int(random.bounded(quint32(alphabet.size())))));
        // Mostly values that start as a list or a quoted text (the path that was replaced).
        const int start = int(random.bounded(4));
        compare(u"any(email,"_s
                + (start == 0   ? u"["_s
                   : start == 1 ? u"\""_s
                   : start == 2 ? u"'"_s
                                : QString())
                + value + u")"_s);
    }
    QCOMPARE(differing, QStringList());
}
