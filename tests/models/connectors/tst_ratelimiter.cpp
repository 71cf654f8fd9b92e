#include "connectors/transport/ratelimiter.h"

#include <QTest>
#include <QTimeZone>

using namespace Qt::StringLiterals;

class tst_RateLimiter : public QObject
{
    Q_OBJECT

private:
    qint64 m_now = 0;
    RateLimiter::Clock clock()
    {
        return [this] {
            return m_now;
        };
    }
    int grantedNow(RateLimiter &limiter, const RateLimiter::Key &key, int tries)
    {
        int granted = 0;
        for (int i = 0; i < tries; ++i) {
            if (limiter.tryAcquire(key).granted) {
                ++granted;
                limiter.release(key);
            }
        }
        return granted;
    }

private Q_SLOTS:
    void init() { m_now = 1000; }

    void burstThenSteadyRefill()
    {
        RateLimiter limiter(clock());
        const RateLimiter::Key key{TargetPlatform::Brevo, u"contacts"_s};
        limiter.setWindows(TargetPlatform::Brevo, u"contacts"_s, {{4, 1000}});
        QCOMPARE(grantedNow(limiter, key, 10), 4); // the burst
        const auto refused = limiter.tryAcquire(key);
        QVERIFY(!refused.granted);
        QCOMPARE(refused.waitMs, 250); // one token per 250 ms
        m_now += 249;
        QVERIFY(!limiter.tryAcquire(key).granted);
        m_now += 1;
        QCOMPARE(grantedNow(limiter, key, 10), 1);
        m_now += 10'000; // idle time refills to the burst, never beyond
        QCOMPARE(grantedNow(limiter, key, 10), 4);
    }

    void burstAndSteadyWindowsTogether()
    {
        // Klaviyo-style: 3 a second, 5 a minute.
        RateLimiter limiter(clock());
        const RateLimiter::Key key{TargetPlatform::Klaviyo, u"profiles"_s};
        limiter.setWindows(TargetPlatform::Klaviyo, u"profiles"_s, {{3, 1000}, {5, 60'000}});
        QCOMPARE(grantedNow(limiter, key, 10), 3);
        m_now += 1000;
        QCOMPARE(grantedNow(limiter, key, 10), 2); // the minute window is now spent
        const auto refused = limiter.tryAcquire(key);
        QVERIFY(!refused.granted);
        QVERIFY2(refused.waitMs > 9000, qPrintable(QString::number(refused.waitMs)));
    }

    void classesWithoutOwnLimitsShareTheDefault()
    {
        RateLimiter limiter(clock());
        limiter.setWindows(TargetPlatform::Brevo, {}, {{2, 60'000}});
        limiter.setWindows(TargetPlatform::Brevo, u"contacts"_s, {{10, 1000}});
        QCOMPARE(grantedNow(limiter, {TargetPlatform::Brevo, u"campaigns"_s}, 1), 1);
        QCOMPARE(grantedNow(limiter, {TargetPlatform::Brevo, u"senders"_s}, 5), 1);
        QCOMPARE(grantedNow(limiter, {TargetPlatform::Brevo, u"contacts"_s}, 20), 10);
        // Other platforms are not affected.
        QCOMPARE(grantedNow(limiter, {TargetPlatform::Klaviyo, u"senders"_s}, 5), 5);
    }

    void concurrencyCap()
    {
        RateLimiter limiter(clock());
        limiter.setMaxConcurrent(TargetPlatform::Mailchimp, 2);
        const RateLimiter::Key lists{TargetPlatform::Mailchimp, u"lists"_s};
        const RateLimiter::Key members{TargetPlatform::Mailchimp, u"members"_s};
        QVERIFY(limiter.tryAcquire(lists).granted);
        QVERIFY(limiter.tryAcquire(members).granted);
        const auto refused = limiter.tryAcquire(lists); // the cap is per platform (per key)
        QVERIFY(!refused.granted);
        QCOMPARE(refused.waitMs, 0); // waits for a release, not for time
        m_now += 60'000;
        QVERIFY(!limiter.tryAcquire(lists).granted);
        limiter.release(members);
        QVERIFY(limiter.tryAcquire(lists).granted);
        QCOMPARE(limiter.inFlight(TargetPlatform::Mailchimp), 2);
    }

    void platformDefaults()
    {
        RateLimiter limiter = RateLimiter::withPlatformDefaults(clock());
        QCOMPARE(limiter.maxConcurrent(TargetPlatform::Mailchimp), 10);
        const RateLimiter::Key mc{TargetPlatform::Mailchimp, {}};
        for (int i = 0; i < 10; ++i)
            QVERIFY(limiter.tryAcquire(mc).granted);
        QVERIFY(!limiter.tryAcquire(mc).granted);
        // Brevo contacts: 10 a second.
        int granted = 0;
        while (limiter.tryAcquire({TargetPlatform::Brevo, u"contacts"_s}).granted)
            ++granted;
        QCOMPARE(granted, 10);
        // Brevo's other endpoints 100 an hour, /smtp/* its own 300 an hour, the blocklist
        // read 1000 a second: each class has its own bucket.
        const auto drain = [&limiter](const QString &endpointClass) {
            int n = 0;
            while (n < 5000 && limiter.tryAcquire({TargetPlatform::Brevo, endpointClass}).granted) {
                limiter.release({TargetPlatform::Brevo, endpointClass});
                ++n;
            }
            return n;
        };
        QCOMPARE(drain(QString()), 100);
        QCOMPARE(drain(u"smtp"_s), 300);
        QCOMPARE(drain(u"smtpBlockedContacts"_s), 1000);
    }

    void klaviyoEndpointDefaults_data()
    {
        // The burst of each endpoint class the Klaviyo connector uses (x-klaviyo-ratelimit).
        QTest::addColumn<QString>("endpointClass");
        QTest::addColumn<int>("burst");
        QTest::addColumn<int>("steady");
        QTest::newRow("get_accounts") << u"accounts"_s << 1 << 15;
        QTest::newRow("get_profiles") << u"profiles"_s << 75 << 750;
        QTest::newRow("get_lists") << u"lists"_s << 75 << 750;
        QTest::newRow("get_list with profile_count") << u"list-profile-count"_s << 1 << 15;
        // create_list (10/s, 150/m, 150/d): klaviyoCreateListDaily.
        QTest::newRow("bulk import and its job") << u"bulk-import"_s << 10 << 150;
        QTest::newRow("bulk subscribe") << u"bulk-subscribe"_s << 75 << 750;
        QTest::newRow("bulk unsubscribe") << u"bulk-unsubscribe"_s << 75 << 750;
        QTest::newRow("bulk suppress") << u"bulk-suppress"_s << 75 << 750;
        QTest::newRow("get_tags") << u"tags"_s << 3 << 60;
        QTest::newRow("get_segments") << u"segments"_s << 75 << 750;
        QTest::newRow("templates") << u"templates"_s << 75 << 750;
        QTest::newRow("get_campaigns") << u"campaigns"_s << 10 << 150;
        QTest::newRow("get_flows") << u"flows"_s << 3 << 60;
        QTest::newRow("anything else: the M tier") << u"events"_s << 10 << 150;
    }

    void klaviyoEndpointDefaults()
    {
        QFETCH(QString, endpointClass);
        QFETCH(int, burst);
        QFETCH(int, steady);
        RateLimiter limiter = RateLimiter::withPlatformDefaults(clock());
        const RateLimiter::Key key{TargetPlatform::Klaviyo, endpointClass};
        QCOMPARE(grantedNow(limiter, key, 1000), burst);
        // Sustained, in 10 ms steps: the steady quota per minute, less what the fixed-window
        // guard costs (a minute window is paced over 60.1 s).
        const auto run = [&](qint64 ms) {
            int n = 0;
            for (qint64 t = 0; t < ms; t += 10) {
                m_now += 10;
                while (limiter.tryAcquire(key).granted) {
                    limiter.release(key);
                    ++n;
                }
            }
            return n;
        };
        run(5 * 60'000);
        const int tenMinutes = run(10 * 60'000);
        QVERIFY2(tenMinutes <= 10 * steady && tenMinutes >= 10 * steady * 98 / 100,
                 qPrintable(QString::number(tenMinutes)));
    }

    void klaviyoFixedWindowsNeverOvershoot_data()
    {
        QTest::addColumn<QString>("endpointClass");
        QTest::addColumn<int>("burst");
        QTest::addColumn<int>("steady");
        QTest::newRow("get_accounts") << u"accounts"_s << 1 << 15;
        QTest::newRow("bulk import") << u"bulk-import"_s << 10 << 150;
        QTest::newRow("get_profiles") << u"profiles"_s << 75 << 750;
    }

    void klaviyoFixedWindowsNeverOvershoot()
    {
        // Klaviyo counts fixed windows from a request on. Whatever window a grant falls in,
        // the second and the minute that start with it hold at most the quota, even if the next
        // request reaches Klaviyo up to the guard sooner than this one did. (An evenly refilled
        // bucket would allow its burst and then one more a tenth of a second later.)
        QFETCH(QString, endpointClass);
        QFETCH(int, burst);
        QFETCH(int, steady);
        RateLimiter limiter = RateLimiter::withPlatformDefaults(clock());
        const RateLimiter::Key key{TargetPlatform::Klaviyo, endpointClass};
        QList<qint64> grants;
        quint32 seed = 7;
        while (m_now < 3 * 60'000) {
            seed = seed * 1664525u + 1013904223u;
            m_now += 1 + (seed >> 16) % 30;
            while (limiter.tryAcquire(key).granted) {
                limiter.release(key);
                grants.append(m_now);
            }
        }
        QVERIFY(grants.size() > 2 * steady);
        const auto mostInSpan = [&grants](qint64 span) {
            qsizetype most = 0;
            qsizetype j = 0;
            for (qsizetype i = 0; i < grants.size(); ++i) {
                while (grants[i] - grants[j] >= span)
                    ++j;
                most = std::max(most, i - j + 1);
            }
            return most;
        };
        QCOMPARE(mostInSpan(1000 + RateLimiter::fixedWindowGuardMs(1000)), qsizetype(burst));
        QCOMPARE(mostInSpan(60'000 + RateLimiter::fixedWindowGuardMs(60'000)), qsizetype(steady));
        QCOMPARE(RateLimiter::fixedWindowGuardMs(1000), 50);
        QCOMPARE(RateLimiter::fixedWindowGuardMs(60'000), 100);
    }

    void klaviyoCreateListDaily()
    {
        // create_list: also 150 a day, so two hours give the day's 150 (150 a minute would
        // allow 18,000; Klaviyo's windows are fixed, so the day's quota does not refill by the
        // hour).
        RateLimiter limiter = RateLimiter::withPlatformDefaults(clock());
        const RateLimiter::Key key{TargetPlatform::Klaviyo, u"create-list"_s};
        int total = grantedNow(limiter, key, 1000);
        QCOMPARE(total, 10); // the burst
        for (int minute = 0; minute < 120; ++minute) {
            for (int second = 0; second < 60; ++second) {
                m_now += 1000;
                total += grantedNow(limiter, key, 1000);
            }
        }
        QCOMPARE(total, 150);
    }

    void brevoSpentQuotaPauses()
    {
        RateLimiter limiter(clock());
        const RateLimiter::Key key{TargetPlatform::Brevo, u"contacts"_s};
        limiter.learn(key, 200,
                      {{"x-sib-ratelimit-limit", "10"},
                       {"x-sib-ratelimit-remaining", "3"},
                       {"x-sib-ratelimit-reset", "7"}});
        QVERIFY(limiter.tryAcquire(key).granted); // quota left: no pause
        limiter.release(key);
        limiter.learn(key, 200,
                      {{"X-Sib-Ratelimit-Remaining", "0"}, {"X-Sib-Ratelimit-Reset", "7"}});
        const auto refused = limiter.tryAcquire(key);
        QVERIFY(!refused.granted);
        QCOMPARE(refused.waitMs, 7000);
        m_now += 7000;
        QVERIFY(limiter.tryAcquire(key).granted);
    }

    void klaviyoHeaders()
    {
        RateLimiter limiter(clock());
        const RateLimiter::Key key{TargetPlatform::Klaviyo, u"profiles"_s};
        limiter.learn(key, 429, {{"Retry-After", "3"}});
        QCOMPARE(limiter.tryAcquire(key).waitMs, 3000);
        m_now += 3000;
        limiter.learn(key, 200, {{"RateLimit-Remaining", "0"}, {"RateLimit-Reset", "2"}});
        QCOMPARE(limiter.tryAcquire(key).waitMs, 2000);
        // A Retry-After as an HTTP date, against the wall clock given.
        m_now += 2000;
        const QDateTime nowUtc(QDate(2026, 11, 23), QTime(12, 0, 0), QTimeZone::utc());
        limiter.learn(key, 429, {{"Retry-After", "Mon, 23 Nov 2026 12:00:05 GMT"}}, nowUtc);
        QCOMPARE(limiter.tryAcquire(key).waitMs, 5000);
    }

    void mailchimpHeadersAreIgnored()
    {
        RateLimiter limiter(clock());
        const RateLimiter::Key key{TargetPlatform::Mailchimp, {}};
        limiter.learn(key, 200,
                      {{"x-sib-ratelimit-remaining", "0"}, {"x-sib-ratelimit-reset", "9"}});
        QVERIFY(limiter.tryAcquire(key).granted);
    }
};

QTEST_GUILESS_MAIN(tst_RateLimiter)
#include "tst_ratelimiter.moc"
