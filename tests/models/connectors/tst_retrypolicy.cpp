#include "connectors/transport/httpmessage.h"
#include "connectors/transport/retrypolicy.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

Q_DECLARE_METATYPE(TargetPlatform)
Q_DECLARE_METATYPE(RetryPolicy::Outcome)

using Outcome = RetryPolicy::Outcome;

class tst_RetryPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void classify_data()
    {
        QTest::addColumn<TargetPlatform>("platform");
        QTest::addColumn<int>("status");
        QTest::addColumn<int>("networkError");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<Outcome>("expected");

        const int none = QNetworkReply::NoError;
        const QByteArray problem
            = R"({"type":"https://mailchimp.com/developer/marketing/docs/errors/","title":"Forbidden",)"
              R"("status":403,"detail":"You do not have permission.","instance":"x"})";
        QTest::newRow("200") << TargetPlatform::Brevo << 200 << none << false << QByteArray()
                             << Outcome::Success;
        QTest::newRow("204") << TargetPlatform::Klaviyo << 204 << none << false << QByteArray()
                             << Outcome::Success;
        QTest::newRow("429") << TargetPlatform::Klaviyo << 429 << none << false << QByteArray("{}")
                             << Outcome::Throttled;
        QTest::newRow("mailchimp bare 403") << TargetPlatform::Mailchimp << 403 << none << false
                                            << QByteArray() << Outcome::Throttled;
        QTest::newRow("mailchimp html 403")
            << TargetPlatform::Mailchimp << 403 << none << false
            << QByteArray("<html>Forbidden</html>") << Outcome::Throttled;
        QTest::newRow("mailchimp problem 403")
            << TargetPlatform::Mailchimp << 403 << none << false << problem << Outcome::Fatal;
        QTest::newRow("brevo bare 403")
            << TargetPlatform::Brevo << 403 << none << false << QByteArray() << Outcome::Fatal;
        QTest::newRow("400") << TargetPlatform::Mailchimp << 400 << none << false << problem
                             << Outcome::Fatal;
        QTest::newRow("401") << TargetPlatform::Brevo << 401 << none << false << QByteArray()
                             << Outcome::Fatal;
        QTest::newRow("404") << TargetPlatform::Klaviyo << 404 << none << false << QByteArray()
                             << Outcome::Fatal;
        QTest::newRow("500") << TargetPlatform::Brevo << 500 << none << false << QByteArray()
                             << Outcome::ServerError;
        QTest::newRow("503") << TargetPlatform::Mailchimp << 503 << none << false << QByteArray()
                             << Outcome::ServerError;
        QTest::newRow("timeout") << TargetPlatform::Brevo << 0
                                 << int(QNetworkReply::OperationCanceledError) << true
                                 << QByteArray() << Outcome::Timeout;
        QTest::newRow("refused") << TargetPlatform::Brevo << 0
                                 << int(QNetworkReply::ConnectionRefusedError) << false
                                 << QByteArray() << Outcome::NotSent;
        QTest::newRow("no host") << TargetPlatform::Brevo << 0
                                 << int(QNetworkReply::HostNotFoundError) << false << QByteArray()
                                 << Outcome::NotSent;
        QTest::newRow("closed") << TargetPlatform::Brevo << 0
                                << int(QNetworkReply::RemoteHostClosedError) << false
                                << QByteArray() << Outcome::ConnectionLost;
        QTest::newRow("tls") << TargetPlatform::Brevo << 0
                             << int(QNetworkReply::SslHandshakeFailedError) << false << QByteArray()
                             << Outcome::Fatal;
    }
    void classify()
    {
        QFETCH(TargetPlatform, platform);
        QFETCH(int, status);
        QFETCH(int, networkError);
        QFETCH(bool, timedOut);
        QFETCH(QByteArray, body);
        QFETCH(Outcome, expected);
        QCOMPARE(RetryPolicy::classify(platform, status,
                                       static_cast<QNetworkReply::NetworkError>(networkError),
                                       timedOut, body),
                 expected);
    }

    void whatIsRetried_data()
    {
        QTest::addColumn<Outcome>("outcome");
        QTest::addColumn<bool>("idempotent");
        QTest::addColumn<bool>("retried");
        QTest::newRow("throttled write") << Outcome::Throttled << false << true;
        QTest::newRow("not sent write") << Outcome::NotSent << false << true;
        QTest::newRow("5xx upsert") << Outcome::ServerError << true << true;
        QTest::newRow("5xx plain POST") << Outcome::ServerError << false << false;
        QTest::newRow("timeout upsert") << Outcome::Timeout << true << true;
        QTest::newRow("timeout plain POST") << Outcome::Timeout << false << false;
        QTest::newRow("dropped plain POST") << Outcome::ConnectionLost << false << false;
        QTest::newRow("4xx") << Outcome::Fatal << true << false;
        QTest::newRow("success") << Outcome::Success << true << false;
    }
    void whatIsRetried()
    {
        QFETCH(Outcome, outcome);
        QFETCH(bool, idempotent);
        QFETCH(bool, retried);
        RetryPolicy policy({}, 1);
        QCOMPARE(policy.next(1, outcome, idempotent).retry, retried);
    }

    void attemptsAreBounded()
    {
        RetryPolicy policy({.maxAttempts = 3}, 1);
        QVERIFY(policy.next(1, Outcome::ServerError, true).retry);
        QVERIFY(policy.next(2, Outcome::ServerError, true).retry);
        QVERIFY(!policy.next(3, Outcome::ServerError, true).retry);
        QVERIFY(!policy.next(3, Outcome::Throttled, true, 10).retry);
        RetryPolicy once({.maxAttempts = 1}, 1);
        QVERIFY(!once.next(1, Outcome::Throttled, true).retry);
    }

    void exponentialBackoffWithFullJitter()
    {
        const RetryPolicy::Settings s{.maxAttempts = 20, .baseDelayMs = 100, .maxDelayMs = 1000};
        RetryPolicy policy(s, 42);
        QCOMPARE(policy.backoffCapMs(1), 100);
        QCOMPARE(policy.backoffCapMs(2), 200);
        QCOMPARE(policy.backoffCapMs(3), 400);
        QCOMPARE(policy.backoffCapMs(4), 800);
        QCOMPARE(policy.backoffCapMs(5), 1000);
        QCOMPARE(policy.backoffCapMs(60), 1000);

        // Delays spread over [0, cap]: jitter, not a fixed schedule.
        qint64 lowest = 1000, highest = 0;
        for (int i = 0; i < 200; ++i) {
            const qint64 d = policy.next(4, Outcome::Timeout, true).delayMs;
            QVERIFY(d >= 0 && d <= 800);
            lowest = std::min(lowest, d);
            highest = std::max(highest, d);
        }
        QVERIFY2(lowest < 200 && highest > 600, qPrintable(u"%1..%2"_s.arg(lowest).arg(highest)));

        // The same seed gives the same delays.
        RetryPolicy a(s, 7), b(s, 7);
        for (int i = 1; i < 10; ++i)
            QCOMPARE(a.next(i, Outcome::Throttled, false).delayMs,
                     b.next(i, Outcome::Throttled, false).delayMs);
    }

    void serverDelayIsHonoured()
    {
        RetryPolicy policy({.baseDelayMs = 10, .maxDelayMs = 20, .maxServerDelayMs = 60'000}, 1);
        const auto d = policy.next(1, Outcome::Throttled, false, 5000);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, 5000);
        // Asked to wait longer than we are willing to: fail now and tell the user.
        QVERIFY(!policy.next(1, Outcome::Throttled, false, 61'000).retry);
    }

    void retryAfterHeader_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("expectedMs"); // -1: unreadable
        QTest::newRow("seconds") << QByteArray("3") << qint64(3000);
        QTest::newRow("spaces") << QByteArray(" 12 ") << qint64(12000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("http date") << QByteArray("Mon, 23 Nov 2026 12:01:30 GMT") << qint64(90'000);
        QTest::newRow("date in the past")
            << QByteArray("Mon, 23 Nov 2026 11:00:00 GMT") << qint64(0);
        QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("empty") << QByteArray() << qint64(-1);
    }
    void retryAfterHeader()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, expectedMs);
        const QDateTime now(QDate(2026, 11, 23), QTime(12, 0, 0), QTimeZone::utc());
        const auto ms = HttpHeaderValues::parseRetryAfter(value, now);
        QCOMPARE(ms.value_or(-1), expectedMs);
    }

    void serverRequestedDelay()
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        using HttpHeaderValues::serverRequestedDelayMs;
        QCOMPARE(serverRequestedDelayMs(TargetPlatform::Klaviyo, 429, {{"Retry-After", "4"}}, now),
                 4000);
        QCOMPARE(
            serverRequestedDelayMs(TargetPlatform::Mailchimp, 503, {{"retry-after", "2"}}, now),
            2000);
        // Brevo sends no Retry-After: its reset header stands in.
        QCOMPARE(serverRequestedDelayMs(
                     TargetPlatform::Brevo, 429,
                     {{"x-sib-ratelimit-remaining", "0"}, {"x-sib-ratelimit-reset", "6"}}, now),
                 6000);
        QVERIFY(!serverRequestedDelayMs(
            TargetPlatform::Brevo, 200,
            {{"x-sib-ratelimit-remaining", "5"}, {"x-sib-ratelimit-reset", "6"}}, now));
        QVERIFY(!serverRequestedDelayMs(TargetPlatform::Mailchimp, 429, {}, now));
    }
};

QTEST_GUILESS_MAIN(tst_RetryPolicy)
#include "tst_retrypolicy.moc"
