#include "connectors/transport/httpclient.h"
#include "sandbox/mailchimpsandbox.h"
#include "sandbox/sandboxserver.h"

#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerResponder>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QMutex>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

#ifdef Q_OS_LINUX
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#endif

using namespace Qt::StringLiterals;

namespace {

using Code = QHttpServerResponse::StatusCode;

/// An HttpClient on its own thread, as the connectors run it.
class ClientThread
{
public:
    explicit ClientThread(RateLimiter limiter, RetryPolicy::Settings retry = fastRetries())
        : client(new HttpClient(std::move(limiter), RetryPolicy(retry, 1)))
    {
        client->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, client, &QObject::deleteLater);
        m_thread.start();
    }
    ~ClientThread()
    {
        m_thread.quit();
        m_thread.wait();
    }
    static RetryPolicy::Settings fastRetries()
    {
        return {.maxAttempts = 3, .baseDelayMs = 10, .maxDelayMs = 20, .maxServerDelayMs = 5000};
    }

    HttpClient *client;

private:
    QThread m_thread;
};

RateLimiter unlimited()
{
    return RateLimiter();
}

QHttpServerResponse problem(Code status, const QByteArray &title, const QByteArray &detail)
{
    const QJsonObject body{{u"type"_s, u"https://mailchimp.com/developer/marketing/docs/errors/"_s},
                           {u"title"_s, QString::fromUtf8(title)},
                           {u"status"_s, int(status)},
                           {u"detail"_s, QString::fromUtf8(detail)},
                           {u"instance"_s, u"d6a5b1f4"_s}};
    return QHttpServerResponse("application/problem+json",
                               QJsonDocument(body).toJson(QJsonDocument::Compact), status);
}

/// For each TCP socket of this process bound to local `port`: whether Nagle's algorithm is off
/// (TCP_NODELAY).
QList<bool> nagleOff(quint16 port)
{
    QList<bool> off;
#ifdef Q_OS_LINUX
    DIR *dir = opendir("/proc/self/fd");
    while (const dirent *entry = dir ? readdir(dir) : nullptr) {
        const int fd = atoi(entry->d_name);
        sockaddr_in local{};
        socklen_t length = sizeof local;
        if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &length) != 0
            || local.sin_family != AF_INET || ntohs(local.sin_port) != port)
            continue;
        int on = 0;
        length = sizeof on;
        if (getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, &length) == 0)
            off.append(on != 0);
    }
    if (dir)
        closedir(dir);
#else
    Q_UNUSED(port);
#endif
    return off;
}

} // namespace

class tst_HttpClient : public QObject
{
    Q_OBJECT

private:
    QUrl m_base;

    quint16 listen(QHttpServer &server)
    {
        const quint16 port = server.listen(QHostAddress::LocalHost, 0);
        m_base = QUrl(u"http://127.0.0.1:%1"_s.arg(port));
        return port;
    }
    HttpRequest get(const QString &path, TargetPlatform platform = TargetPlatform::Brevo)
    {
        HttpRequest r;
        r.url = m_base.resolved(QUrl(path));
        r.platform = platform;
        return r;
    }
    static bool finished(const QFuture<HttpClient::Reply> &f, int timeoutMs = 10'000)
    {
        QElapsedTimer t;
        t.start();
        while (!f.isFinished() && t.elapsed() < timeoutMs)
            QTest::qWait(5);
        return f.isFinished();
    }

private Q_SLOTS:
    void okPassesThrough()
    {
        QByteArray seenKey, seenBody, seenMethod;
        int hits = 0;
        QHttpServer server;
        server.route(u"/v3/contacts"_s, [&](const QHttpServerRequest &req) {
            ++hits;
            seenKey = req.value("api-key");
            seenBody = req.body();
            seenMethod = req.method() == QHttpServerRequest::Method::Post ? "POST" : "other";
            QHttpServerResponse r(QJsonObject{{u"id"_s, 42}}, Code::Created);
            r.addHeader("x-sib-ratelimit-remaining", "9");
            return r;
        });
        QVERIFY(listen(server));

        // Capture everything the transport logs, to check no secret or body leaks into it.
        QLoggingCategory::setFilterRules(u"stagecoach.transport.debug=true"_s);
        static QMutex logMutex;
        static QStringList log;
        const auto previous = qInstallMessageHandler(
            [](QtMsgType, const QMessageLogContext &, const QString &message) {
                QMutexLocker lock(&logMutex);
                log.append(message);
            });

        ClientThread worker(unlimited());
        HttpRequest r = get(u"/v3/contacts"_s);
        r.method = "POST";
        r.headers = {{"api-key", "xkeysib-SECRET"}, {"content-type", "application/json"}};
        r.body = R"({"email":"ada@example.com","updateEnabled":true})";
        const QFuture<HttpClient::Reply> f = worker.client->send(r);
        QVERIFY(finished(f));
        qInstallMessageHandler(previous);
        QLoggingCategory::setFilterRules({});

        const HttpClient::Reply reply = f.result();
        QVERIFY2(reply.ok(), qPrintable(reply.ok() ? QString() : reply.error().toString()));
        QCOMPARE(reply->status, 201);
        QCOMPARE(QJsonDocument::fromJson(reply->body).object().value(u"id"_s).toInt(), 42);
        QCOMPARE(reply->header("X-Sib-Ratelimit-Remaining"), "9");
        QCOMPARE(reply->attempts, 1);
        QCOMPARE(hits, 1);
        QCOMPARE(seenMethod, "POST");
        QCOMPARE(seenKey, "xkeysib-SECRET");
        QCOMPARE(seenBody, r.body);

        QMutexLocker lock(&logMutex);
        QVERIFY(!log.isEmpty()); // the debug log was on
        for (const QString &line : std::as_const(log)) {
            QVERIFY2(!line.contains(u"SECRET"_s), qPrintable(line));
            QVERIFY2(!line.contains(u"ada@example.com"_s), qPrintable(line));
        }
    }

    void tooManyRequestsWaitsForRetryAfter()
    {
        QList<qint64> arrivals;
        QElapsedTimer clock;
        clock.start();
        QHttpServer server;
        server.route(u"/api/profiles"_s, [&] {
            arrivals.append(clock.elapsed());
            if (arrivals.size() == 1) {
                QHttpServerResponse r(
                    "application/vnd.api+json",
                    R"({"errors":[{"id":"1","code":"throttled","title":"Throttled","detail":"Slow down"}]})",
                    Code::TooManyRequests);
                r.addHeader("Retry-After", "1");
                return r;
            }
            return QHttpServerResponse(QJsonObject{{u"data"_s, u"ok"_s}});
        });
        QVERIFY(listen(server));

        ClientThread worker(unlimited());
        const auto f = worker.client->send(get(u"/api/profiles"_s, TargetPlatform::Klaviyo));
        QVERIFY(finished(f));
        const HttpClient::Reply reply = f.result();
        QVERIFY2(reply.ok(), qPrintable(reply.ok() ? QString() : reply.error().toString()));
        QCOMPARE(reply->attempts, 2);
        QCOMPARE(arrivals.size(), 2);
        // The backoff alone would be ≤ 20 ms: only Retry-After explains a full second.
        QVERIFY2(arrivals[1] - arrivals[0] >= 1000,
                 qPrintable(u"retried after %1 ms"_s.arg(arrivals[1] - arrivals[0])));
    }

    void serverErrorsBeyondMaxAttempts()
    {
        int getHits = 0, postHits = 0;
        QHttpServer server;
        server.route(u"/v3/contacts"_s, [&](const QHttpServerRequest &req) {
            ++(req.method() == QHttpServerRequest::Method::Get ? getHits : postHits);
            return QHttpServerResponse(Code::ServiceUnavailable);
        });
        QVERIFY(listen(server));

        ClientThread worker(unlimited());
        const auto f = worker.client->send(get(u"/v3/contacts"_s));
        QVERIFY(finished(f));
        QVERIFY(!f.result().ok());
        const Error e = f.result().error();
        QCOMPARE(getHits, ClientThread::fastRetries().maxAttempts);
        QVERIFY2(e.message.contains(u"503"_s) && e.message.contains(u"Brevo"_s),
                 qPrintable(e.message));
        QVERIFY2(e.message.contains(u"3 attempts"_s), qPrintable(e.message));
        QCOMPARE(e.where, u"GET /v3/contacts"_s);
        QVERIFY(!e.hint.isEmpty());

        // A plain POST may have been carried out before the 503: it is not sent twice ...
        HttpRequest post = get(u"/v3/contacts"_s);
        post.method = "POST";
        const auto once = worker.client->send(post);
        QVERIFY(finished(once));
        QVERIFY(!once.result().ok());
        QCOMPARE(postHits, 1);
        // ... unless it is an upsert keyed by email, marked idempotent.
        post.idempotent = true;
        const auto upsert = worker.client->send(post);
        QVERIFY(finished(upsert));
        QCOMPARE(postHits, 1 + ClientThread::fastRetries().maxAttempts);
    }

    void mailchimpBare403IsRetried()
    {
        int hits = 0;
        QHttpServer server;
        server.route(u"/3.0/lists"_s, [&] {
            if (++hits == 1)
                return QHttpServerResponse("text/html", "<html>403 Forbidden</html>",
                                           Code::Forbidden);
            return QHttpServerResponse(QJsonObject{{u"lists"_s, QJsonArray()}});
        });
        server.route(u"/3.0/forbidden"_s, [&] {
            ++hits;
            return problem(Code::Forbidden, "Forbidden",
                           "You don't have permission to access this resource.");
        });
        QVERIFY(listen(server));

        ClientThread worker(unlimited());
        const auto f = worker.client->send(get(u"/3.0/lists"_s, TargetPlatform::Mailchimp));
        QVERIFY(finished(f));
        QVERIFY(f.result().ok());
        QCOMPARE(hits, 2);

        // A 403 with a problem body is a real refusal: not retried, and says so.
        hits = 0;
        const auto refused
            = worker.client->send(get(u"/3.0/forbidden"_s, TargetPlatform::Mailchimp));
        QVERIFY(finished(refused));
        QVERIFY(!refused.result().ok());
        QCOMPARE(hits, 1);
        QVERIFY(refused.result().error().message.contains(u"permission"_s));
        QVERIFY(refused.result().error().hint.contains(u"scope"_s));
    }

    void badRequestIsNotRetried()
    {
        int hits = 0;
        QHttpServer server;
        server.route(u"/3.0/lists/abc/members"_s, [&] {
            ++hits;
            return problem(Code::BadRequest, "Member Exists",
                           "ada@example.com is already a list member.");
        });
        QVERIFY(listen(server));

        ClientThread worker(unlimited());
        HttpRequest r = get(u"/3.0/lists/abc/members?skip_merge_validation=true"_s,
                            TargetPlatform::Mailchimp);
        r.method = "POST";
        const auto f = worker.client->send(r);
        QVERIFY(finished(f));
        QVERIFY(!f.result().ok());
        const Error e = f.result().error();
        QCOMPARE(hits, 1);
        QVERIFY2(e.message.contains(u"is already a list member"_s), qPrintable(e.message));
        QVERIFY2(e.message.contains(u"400"_s) && e.message.contains(u"Member Exists"_s),
                 qPrintable(e.message));
        QCOMPARE(e.where, u"POST /3.0/lists/abc/members"_s);
    }

    void silentServerTimesOut()
    {
        int hits = 0;
        std::vector<std::shared_ptr<QHttpServerResponder>> neverAnswered;
        QHttpServer server;
        server.route(u"/api/profiles"_s, [&](const QHttpServerRequest &,
                                             QHttpServerResponder &&responder) {
            ++hits;
            neverAnswered.push_back(std::make_shared<QHttpServerResponder>(std::move(responder)));
        });
        QVERIFY(listen(server));

        ClientThread worker(unlimited(), {.maxAttempts = 2, .baseDelayMs = 10, .maxDelayMs = 10});
        HttpRequest r = get(u"/api/profiles"_s, TargetPlatform::Klaviyo);
        r.timeoutMs = 200;
        QElapsedTimer clock;
        clock.start();
        const auto f = worker.client->send(r);
        QVERIFY(finished(f));
        const qint64 elapsed = clock.elapsed();
        QVERIFY(!f.result().ok());
        const Error e = f.result().error();
        QVERIFY2(e.message.contains(u"did not answer"_s), qPrintable(e.message));
        QCOMPARE(hits, 2); // a GET is safe to repeat
        // Two attempts of 200 ms each; the transfer timer is a coarse timer, which may fire up
        // to 5 % early.
        QVERIFY2(elapsed >= 2 * 190, qPrintable(QString::number(elapsed)));

        // A plain POST that timed out may have been carried out: not sent again.
        hits = 0;
        r.method = "POST";
        const auto post = worker.client->send(r);
        QVERIFY(finished(post));
        QVERIFY(!post.result().ok());
        QCOMPARE(hits, 1);
    }

    void refusedConnection()
    {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
        const quint16 port = closed.serverPort();
        closed.close();
        m_base = QUrl(u"http://127.0.0.1:%1"_s.arg(port));

        ClientThread worker(unlimited());
        HttpRequest r = get(u"/v3/contacts"_s);
        r.method = "POST"; // never reached the server: safe to send again even unmarked
        const auto f = worker.client->send(r);
        QVERIFY(finished(f));
        QVERIFY(!f.result().ok());
        const Error e = f.result().error();
        QVERIFY2(e.message.contains(u"Could not connect"_s), qPrintable(e.message));
        QVERIFY2(e.message.contains(u"3 attempts"_s), qPrintable(e.message));
    }

    void concurrencyCapIsRespected()
    {
        constexpr int kCap = 3; // below QNetworkAccessManager's own 6 connections per host
        constexpr int kRequests = 8;
        int inFlight = 0, maxInFlight = 0, hits = 0;
        QHttpServer server;
        server.route(u"/3.0/lists/<arg>/members"_s, [&](const QString &, const QHttpServerRequest &,
                                                        QHttpServerResponder &&responder) {
            ++hits;
            maxInFlight = std::max(maxInFlight, ++inFlight);
            auto r = std::make_shared<QHttpServerResponder>(std::move(responder));
            QTimer::singleShot(80, [r, &inFlight] {
                --inFlight;
                r->write(QJsonDocument(QJsonObject{{u"ok"_s, true}}));
            });
        });
        QVERIFY(listen(server));

        RateLimiter limiter;
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, kCap);
        ClientThread worker(std::move(limiter));
        QList<QFuture<HttpClient::Reply>> futures;
        for (int i = 0; i < kRequests; ++i)
            futures.append(worker.client->send(
                get(u"/3.0/lists/l%1/members"_s.arg(i), TargetPlatform::Mailchimp)));
        for (const auto &f : std::as_const(futures)) {
            QVERIFY(finished(f));
            QVERIFY(f.result().ok());
        }
        QCOMPARE(hits, kRequests);
        QCOMPARE(maxInFlight, kCap);
    }

    // QNetworkAccessManager opens at most 6 connections per host; the client must still hold as
    // many requests at the sandbox as the platform's cap allows (Mailchimp: 10), and no more.
    void concurrencyCapBeyondSixConnections_data()
    {
        QTest::addColumn<int>("cap");
        QTest::addColumn<int>("requests");
        QTest::newRow("Mailchimp's 10") << 10 << 25;
        QTest::newRow("4, within one manager") << 4 << 11;
        QTest::newRow("13, three managers") << 13 << 30;
    }
    void concurrencyCapBeyondSixConnections()
    {
        QFETCH(int, cap);
        QFETCH(int, requests);
        const QString key = u"0123456789abcdef0123456789abcdef-us21"_s;
        MailchimpSandbox api(key);
        SandboxServer server(api);
        QVERIFY(server.listen());
        SandboxFaults faults;
        faults.latencyMs = 400; // every request is held long enough for all the others to arrive
        server.setFaults(faults);

        RateLimiter limiter;
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, cap);
        ClientThread worker(std::move(limiter));
        QList<QFuture<HttpClient::Reply>> futures;
        for (int i = 0; i < requests; ++i) {
            HttpRequest r;
            r.url = server.baseUrl().resolved(QUrl(u"/3.0/ping"_s));
            r.platform = TargetPlatform::Mailchimp;
            r.headers = {{"Authorization", "Basic " + (u"any:"_s + key).toUtf8().toBase64()}};
            futures.append(worker.client->send(r));
        }
        for (const auto &f : std::as_const(futures)) {
            QVERIFY(finished(f, 30'000));
            const HttpClient::Reply reply = f.result();
            QVERIFY2(reply.ok(), qPrintable(reply.ok() ? QString() : reply.error().toString()));
            QCOMPARE(reply->status, 200);
            QCOMPARE(reply->attempts, 1);
        }
        QCOMPARE(server.requestCount(), requests);
        QCOMPARE(server.peakInFlight(), cap);
    }

    // A request waiting for a connection goes out as soon as one is free, before the answer that
    // freed it is handed on (its reader, here 500 ms of work on the network thread, would
    // otherwise hold the free connection idle).
    void aFreedConnectionIsUsedBeforeTheAnswerIsRead()
    {
        QElapsedTimer clock;
        clock.start();
        QList<qint64> answeredAt, arrivedAt;
        QHttpServer server;
        server.route(u"/3.0/lists/<arg>"_s, [&](const QString &, const QHttpServerRequest &,
                                                QHttpServerResponder &&responder) {
            arrivedAt.append(clock.elapsed());
            responder.writeStatusLine(Code::Ok);
            responder.writeHeader("Content-Type", "application/json");
            responder.writeHeader("Content-Length", "2");
            responder.writeBody("{}");
            answeredAt.append(clock.elapsed());
        });
        QVERIFY(listen(server));

        RateLimiter limiter;
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, 1);
        ClientThread worker(std::move(limiter));
        const auto request = [&](const QString &list) {
            return worker.client->send(get(u"/3.0/lists/"_s + list, TargetPlatform::Mailchimp));
        };
        QFuture<HttpClient::Reply> first = request(u"a"_s).then(QtFuture::Launch::Sync, [](HttpClient::Reply r) {
            QThread::msleep(500); // reading a large answer
            return r;
        });
        const QFuture<HttpClient::Reply> second = request(u"b"_s);
        QVERIFY(finished(second));
        QVERIFY(finished(first));
        QVERIFY(first.result().ok());
        QVERIFY(second.result().ok());
        QCOMPARE(arrivedAt.size(), 2);
        const qint64 gap = arrivedAt.at(1) - answeredAt.at(0);
        qInfo("the second request arrived %lld ms after the first was answered", gap);
        QVERIFY2(gap < 250, qPrintable(u"%1 ms: it waited for the first answer to be read"_s.arg(gap)));
    }

    // Requests waiting for the same connection go out by priority, in the order sent within one.
    void waitingRequestsGoOutByPriority()
    {
        QStringList arrived;
        QList<std::shared_ptr<QHttpServerResponder>> held;
        QHttpServer server;
        server.route(u"/3.0/lists/<arg>"_s, [&](const QString &list, const QHttpServerRequest &,
                                                QHttpServerResponder &&responder) {
            arrived.append(list);
            auto r = std::make_shared<QHttpServerResponder>(std::move(responder));
            const auto answer = [r] {
                r->writeStatusLine(Code::Ok);
                r->writeHeader("Content-Type", "application/json");
                r->writeHeader("Content-Length", "2");
                r->writeBody("{}");
            };
            if (list == u"first")
                held.append(r); // answered once the others wait behind it
            else
                answer();
        });
        QVERIFY(listen(server));

        RateLimiter limiter;
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, 1);
        ClientThread worker(std::move(limiter));
        const auto request = [&](const QString &list, int priority) {
            HttpRequest r = get(u"/3.0/lists/"_s + list, TargetPlatform::Mailchimp);
            r.priority = priority;
            return worker.client->send(r);
        };
        QList<QFuture<HttpClient::Reply>> futures{request(u"first"_s, 0)};
        QTRY_COMPARE(held.size(), 1);
        futures << request(u"b0"_s, 0) << request(u"c1"_s, 1) << request(u"d0"_s, 0)
                << request(u"e1"_s, 1) << request(u"f2"_s, 2);
        QTest::qWait(100); // all five wait for the connection
        QCOMPARE(arrived, QStringList{u"first"_s});
        held.constFirst()->writeStatusLine(Code::Ok);
        held.constFirst()->writeHeader("Content-Type", "application/json");
        held.constFirst()->writeHeader("Content-Length", "2");
        held.constFirst()->writeBody("{}");
        for (const auto &f : std::as_const(futures)) {
            QVERIFY(finished(f));
            QVERIFY(f.result().ok());
        }
        QCOMPARE(arrived, (QStringList{u"first"_s, u"f2"_s, u"c1"_s, u"e1"_s, u"b0"_s, u"d0"_s}));
    }

    // The managers that hold more than 6 requests share one cookie jar: a cookie set in an answer
    // goes with every later request, whichever connection pool carries it.
    void cookiesAreSharedAcrossConnectionPools()
    {
        constexpr int kCap = 10;
        QList<std::shared_ptr<QHttpServerResponder>> held;
        QList<QByteArray> cookies;
        QHttpServer server;
        server.route(u"/3.0/lists/<arg>"_s, [&](const QString &, const QHttpServerRequest &request,
                                                QHttpServerResponder &&responder) {
            cookies.append(request.value("cookie"));
            held.append(std::make_shared<QHttpServerResponder>(std::move(responder)));
        });
        QVERIFY(listen(server));
        const auto answerAll = [&held] {
            for (const auto &r : std::as_const(held)) {
                r->writeStatusLine(Code::Ok);
                r->writeHeader("Content-Type", "application/json");
                r->writeHeader("Set-Cookie", "session=abc123; Path=/");
                r->writeHeader("Content-Length", "2");
                r->writeBody("{}");
            }
            held.clear();
        };

        RateLimiter limiter;
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, kCap);
        ClientThread worker(std::move(limiter));
        for (int round = 0; round < 2; ++round) {
            QList<QFuture<HttpClient::Reply>> futures;
            for (int i = 0; i < kCap; ++i)
                futures.append(worker.client->send(
                    get(u"/3.0/lists/l%1"_s.arg(i), TargetPlatform::Mailchimp)));
            QTRY_COMPARE_WITH_TIMEOUT(held.size(), kCap, 10'000); // all 10 at once: two pools
            answerAll();
            for (const auto &f : std::as_const(futures)) {
                QVERIFY(finished(f));
                QVERIFY(f.result().ok());
            }
        }
        QCOMPARE(cookies.size(), 2 * kCap);
        for (int i = 0; i < kCap; ++i)
            QCOMPARE(cookies.at(i), QByteArray()); // none before the first answer
        for (int i = kCap; i < 2 * kCap; ++i)
            QCOMPARE(cookies.at(i), "session=abc123");
    }

    // Large bodies go out without Nagle's algorithm, which held each 16 KB piece of one until
    // the server acknowledged the last (up to 40 ms), from the first request on a connection.
    // The server's side keeps its setting.
    void connectionsSendWithoutNagle_data()
    {
        QTest::addColumn<QByteArray>("openedBy");
        QTest::newRow("a POST") << QByteArray("POST");
        QTest::newRow("a GET") << QByteArray("GET");
    }
    void connectionsSendWithoutNagle()
    {
#ifndef Q_OS_LINUX
        QSKIP("the connections are found through /proc/self/fd, on Linux only");
#endif
        // A bare HTTP/1.1 server, to know the clients' ports (QHttpServerRequest has none in 6.4).
        QTcpServer server;
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        m_base = QUrl(u"http://127.0.0.1:%1"_s.arg(server.serverPort()));
        QList<QTcpSocket *> accepted;
        QSet<quint16> clientPorts;
        QList<QList<bool>> nagleOffOnArrival; // the client's side, when a whole request is in
        int answered = 0;
        connect(&server, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *socket = server.nextPendingConnection();
            accepted.append(socket);
            clientPorts.insert(socket->peerPort());
            auto buffer = std::make_shared<QByteArray>();
            connect(socket, &QTcpSocket::readyRead, socket, [&, socket, buffer] {
                buffer->append(socket->readAll());
                const qsizetype headerEnd = buffer->indexOf("\r\n\r\n");
                if (headerEnd < 0)
                    return;
                const QByteArray header = buffer->left(headerEnd).toLower();
                const qsizetype at = header.indexOf("content-length:");
                const qsizetype length = at < 0 ? 0
                    : header.mid(at + 15, header.indexOf('\r', at) - at - 15).trimmed().toLongLong();
                if (buffer->size() < headerEnd + 4 + length)
                    return;
                buffer->remove(0, headerEnd + 4 + length);
                nagleOffOnArrival.append(nagleOff(socket->peerPort()));
                socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                              "Content-Length: 2\r\n\r\n{}");
                ++answered;
            });
        });

        RateLimiter limiter;
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, 2);
        ClientThread worker(std::move(limiter));
        const auto sendAll = [&](const QByteArray &method, int count) {
            QList<QFuture<HttpClient::Reply>> futures;
            for (int i = 0; i < count; ++i) {
                HttpRequest r = get(u"/3.0/lists/a"_s, TargetPlatform::Mailchimp);
                r.method = method;
                if (method == "POST") {
                    r.headers = {{"content-type", "application/json"}};
                    r.body = "{\"members\":\"" + QByteArray(150'000, 'x') + "\"}";
                }
                futures.append(worker.client->send(r));
            }
            for (const auto &f : std::as_const(futures)) {
                if (!finished(f) || !f.result().ok())
                    return false;
            }
            return true;
        };
        QFETCH(QByteArray, openedBy);
        if (openedBy == "GET") { // both connections opened without a body
            QVERIFY(sendAll("GET", 2));
            QCOMPARE(clientPorts.size(), 2);
            nagleOffOnArrival.clear();
        }
        QVERIFY(sendAll("POST", 6));
        QCOMPARE(answered, openedBy == "GET" ? 8 : 6);
        // From the first request with a body on each connection, whether the connection was
        // opened for it (turned off as its body went out) or for a GET (after its answer).
        QCOMPARE(nagleOffOnArrival, QList<QList<bool>>(6, {true}));
        QCOMPARE(clientPorts.size(), 2);
        QVERIFY(!clientPorts.isEmpty());
        for (const quint16 port : std::as_const(clientPorts))
            QCOMPARE(nagleOff(port), QList<bool>{true});
        // The listening socket and the server's side of each connection.
        QCOMPARE(nagleOff(server.serverPort()), QList<bool>(1 + accepted.size(), false));
    }

    void rateWindowPacesRequests()
    {
        int hits = 0;
        QHttpServer server;
        server.route(u"/v3/contacts"_s, [&] {
            ++hits;
            return QJsonObject{{u"ok"_s, true}};
        });
        QVERIFY(listen(server));

        RateLimiter limiter;
        limiter.setWindows(TargetPlatform::Brevo, u"contacts"_s,
                           {{2, 200}}); // 2 at once, then 1/100 ms
        ClientThread worker(std::move(limiter));
        QElapsedTimer clock;
        clock.start();
        QList<QFuture<HttpClient::Reply>> futures;
        for (int i = 0; i < 4; ++i) {
            HttpRequest r = get(u"/v3/contacts"_s);
            r.endpointClass = u"contacts"_s;
            futures.append(worker.client->send(r));
        }
        for (const auto &f : std::as_const(futures))
            QVERIFY(finished(f));
        QCOMPARE(hits, 4);
        QVERIFY2(clock.elapsed() >= 200, qPrintable(QString::number(clock.elapsed())));
    }

    void destroyingTheClientAnswersOpenRequests()
    {
        std::vector<std::shared_ptr<QHttpServerResponder>> neverAnswered;
        QHttpServer server;
        server.route(u"/v3/contacts"_s, [&](const QHttpServerRequest &,
                                            QHttpServerResponder &&responder) {
            neverAnswered.push_back(std::make_shared<QHttpServerResponder>(std::move(responder)));
        });
        QVERIFY(listen(server));

        QFuture<HttpClient::Reply> f;
        {
            ClientThread worker(unlimited());
            f = worker.client->send(get(u"/v3/contacts"_s));
            QTRY_COMPARE(neverAnswered.size(), size_t(1));
        }
        QVERIFY(f.isFinished());
        QVERIFY(!f.result().ok());
        QVERIFY(f.result().error().message.contains(u"cancelled"_s));
    }
};

QTEST_GUILESS_MAIN(tst_HttpClient)
#include "tst_httpclient.moc"
