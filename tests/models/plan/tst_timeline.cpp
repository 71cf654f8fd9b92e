#include "assessment/inventory.h"
#include "plan/timeline.h"
#include "plan/timelinegenerator.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Inventory inventoryWith(qint64 subscribed, qint64 unsubscribed, qint64 cleaned, qint64 pending = 0)
{
    Inventory inv;
    inv.byStatus[size_t(ContactStatus::Subscribed)] = subscribed;
    inv.byStatus[size_t(ContactStatus::Unsubscribed)] = unsubscribed;
    inv.byStatus[size_t(ContactStatus::Cleaned)] = cleaned;
    inv.byStatus[size_t(ContactStatus::Pending)] = pending;
    inv.total = subscribed + unsubscribed + cleaned + pending;
    return inv;
}

Stage stage(const QString &key, int days, const QStringList &deps = {})
{
    Stage s;
    s.key = key;
    s.title = key;
    s.durationDays = days;
    s.milestone = days == 0;
    s.dependsOn = deps;
    return s;
}

QList<qint64> subscriberWaveSizes(const QList<WavePlan> &waves)
{
    QList<qint64> sizes;
    for (const WavePlan &w : waves) {
        if (w.number > 0)
            sizes.append(w.contacts);
    }
    return sizes;
}

} // namespace

class tst_Timeline : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void workingDays_data()
    {
        QTest::addColumn<QDate>("from");
        QTest::addColumn<int>("add");
        QTest::addColumn<QDate>("expected");
        // 2026-11-27 is a Friday.
        QTest::newRow("friday+0") << QDate(2026, 11, 27) << 0 << QDate(2026, 11, 27);
        QTest::newRow("friday+1 is monday") << QDate(2026, 11, 27) << 1 << QDate(2026, 11, 30);
        QTest::newRow("saturday+0 is monday") << QDate(2026, 11, 28) << 0 << QDate(2026, 11, 30);
        QTest::newRow("sunday+1 is tuesday") << QDate(2026, 11, 29) << 1 << QDate(2026, 12, 1);
        QTest::newRow("wednesday+5 is next wednesday") << QDate(2026, 11, 25) << 5 << QDate(2026, 12, 2);
        QTest::newRow("thursday+3 is tuesday") << QDate(2026, 11, 26) << 3 << QDate(2026, 12, 1);
        QTest::newRow("friday+6") << QDate(2026, 11, 27) << 6 << QDate(2026, 12, 7);
        QTest::newRow("across new year") << QDate(2026, 12, 31) << 2 << QDate(2027, 1, 4);
        QTest::newRow("ten weeks") << QDate(2026, 11, 23) << 50 << QDate(2027, 2, 1);
    }

    void workingDays()
    {
        QFETCH(QDate, from);
        QFETCH(int, add);
        QFETCH(QDate, expected);
        const QDate got = WorkingDays::add(from, add);
        QCOMPARE(got, expected);
        QVERIFY(WorkingDays::isWorkingDay(got));
        // Cross-check by walking day by day.
        QDate walk = WorkingDays::onOrAfter(from);
        for (int i = 0; i < add; ++i)
            walk = WorkingDays::onOrAfter(walk.addDays(1));
        QCOMPARE(walk, expected);
    }

    void scheduleFollowsDependencies()
    {
        Timeline t;
        t.start = QDate(2026, 11, 28); // a Saturday: the plan starts on Monday 30 November
        t.stages = {stage(u"a"_s, 3), stage(u"b"_s, 2, {u"a"_s}), stage(u"c"_s, 4, {u"a"_s}),
                    stage(u"m"_s, 0, {u"b"_s, u"c"_s}), stage(u"d"_s, 1, {u"m"_s}), stage(u"free"_s, 2)};
        t.schedule();
        QCOMPARE(t.find(u"a")->start, QDate(2026, 11, 30));
        QCOMPARE(t.find(u"a")->end, QDate(2026, 12, 2));
        QCOMPARE(t.find(u"b")->start, QDate(2026, 12, 3));
        QCOMPARE(t.find(u"b")->end, QDate(2026, 12, 4));
        QCOMPARE(t.find(u"c")->start, QDate(2026, 12, 3));
        QCOMPARE(t.find(u"c")->end, QDate(2026, 12, 8)); // Thu, Fri, Mon, Tue
        // The milestone is the day after the later dependency; what follows it starts that day.
        QCOMPARE(t.find(u"m")->start, QDate(2026, 12, 9));
        QCOMPARE(t.find(u"m")->end, QDate(2026, 12, 9));
        QCOMPARE(t.find(u"d")->start, QDate(2026, 12, 9));
        QCOMPARE(t.find(u"free")->start, QDate(2026, 11, 30));
        QCOMPARE(t.end(), QDate(2026, 12, 9));
    }

    void schedulePinsAndSurvivesBadDependencies()
    {
        Timeline t;
        t.start = QDate(2026, 11, 30);
        Stage pinned = stage(u"p"_s, 2, {u"gone"_s});
        pinned.earliestStart = QDate(2026, 12, 5); // a Saturday: moved to Monday
        Stage x = stage(u"x"_s, 1, {u"y"_s});
        Stage y = stage(u"y"_s, 1, {u"x"_s}); // a cycle
        Stage self = stage(u"self"_s, 1, {u"self"_s});
        t.stages = {pinned, x, y, self};
        t.schedule();
        QCOMPARE(t.find(u"p")->start, QDate(2026, 12, 7));
        QCOMPARE(t.find(u"p")->end, QDate(2026, 12, 8));
        for (const Stage &s : std::as_const(t.stages)) {
            QVERIFY2(s.start.isValid() && s.end.isValid(), qPrintable(s.key));
            QVERIFY(s.end >= s.start);
        }
        QCOMPARE(t.find(u"self")->start, QDate(2026, 11, 30));
        // A pin earlier than the dependencies allow does not move the stage before them.
        Timeline u;
        u.start = QDate(2026, 11, 30);
        Stage late = stage(u"late"_s, 1, {u"a"_s});
        late.earliestStart = QDate(2026, 11, 30);
        u.stages = {stage(u"a"_s, 5), late};
        u.schedule();
        QCOMPARE(u.find(u"late")->start, QDate(2026, 12, 7));
    }

    void waves_data()
    {
        QTest::addColumn<qint64>("subscribed");
        QTest::addColumn<int>("ratingEngaged"); // -1: no engagement figures
        QTest::addColumn<qint64>("pending");
        QTest::addColumn<QList<qint64>>("expected");
        QTest::newRow("nobody") << qint64(0) << -1 << qint64(0) << QList<qint64>{0};
        QTest::newRow("small list, one wave") << qint64(1500) << 200 << qint64(0) << QList<qint64>{1500};
        QTest::newRow("small list with pending") << qint64(1500) << -1 << qint64(40) << QList<qint64>{1540};
        // 3,000 engaged start; doubling; the last 7,000 join the fifth wave (less than half of 48,000).
        QTest::newRow("100k engaged 3000") << qint64(100000) << 3000 << qint64(0)
                                          << QList<qint64>{3000, 6000, 12000, 24000, 55000};
        // Too few engaged: the first wave is still 500.
        QTest::newRow("10k engaged 100") << qint64(10000) << 100 << qint64(0)
                                        << QList<qint64>{500, 1000, 2000, 4000, 2500};
        // No engagement: a tenth, at most 5,000; waves stop growing at 250,000.
        QTest::newRow("1M no engagement") << qint64(1000000) << -1 << qint64(0)
                                         << QList<qint64>{5000, 10000, 20000, 40000, 80000, 160000, 250000, 250000, 185000};
        QTest::newRow("pending go with the last wave") << qint64(20000) << 5000 << qint64(123)
                                                      << QList<qint64>{5000, 10000, 5123};
    }

    void waves()
    {
        QFETCH(qint64, subscribed);
        QFETCH(int, ratingEngaged);
        QFETCH(qint64, pending);
        QFETCH(QList<qint64>, expected);
        Inventory inv = inventoryWith(subscribed, 700, 300, pending);
        if (ratingEngaged >= 0) {
            inv.engagement.ratingAvailable = true;
            inv.engagement.rating[5] = ratingEngaged / 2;
            inv.engagement.rating[4] = ratingEngaged - ratingEngaged / 2;
            inv.engagement.rating[2] = subscribed - ratingEngaged;
        }
        const QList<WavePlan> waves = TimelineGenerator::planWaves(&inv);
        QCOMPARE(waves.first().number, 0);
        QCOMPARE(waves.first().contacts, qint64(1000)); // every suppression in wave 0
        QCOMPARE(subscriberWaveSizes(waves), expected);
        qint64 sum = 0;
        for (const WavePlan &w : waves) {
            sum += w.contacts;
            QVERIFY(!w.basis.isEmpty());
        }
        QCOMPARE(sum, inv.total); // everyone is in exactly one wave
    }

    void engagementFromLastChangedWhenNoRating()
    {
        Inventory inv = inventoryWith(50000, 0, 0);
        inv.engagement.lastChangedAvailable = true;
        inv.engagement.lastChanged[Engagement::Within30Days] = 1200;
        inv.engagement.lastChanged[Engagement::Days31To90] = 800;
        inv.engagement.lastChanged[Engagement::Over1Year] = 48000;
        QCOMPARE(TimelineGenerator::engagedContacts(inv), qint64(2000));
        QCOMPARE(subscriberWaveSizes(TimelineGenerator::planWaves(&inv)).first(), qint64(2000));
    }

    void generatedTimeline()
    {
        Inventory inv = inventoryWith(100000, 5000, 1000);
        inv.engagement.ratingAvailable = true;
        inv.engagement.rating[5] = 3000;
        inv.total = 600000; // backup takes a day more per half million contacts
        const QMap<AssetKind, int> assets = {{AssetKind::Template, 12}, {AssetKind::Integration, 2}};
        const Timeline t = TimelineGenerator::generate(&inv, assets, QDate(2026, 11, 28));
        QCOMPARE(t.start, QDate(2026, 11, 30));

        QStringList keys;
        for (const Stage &s : t.stages)
            keys.append(s.key);
        QCOMPARE(keys, (QStringList{u"backup"_s, u"setup"_s, u"wave-0"_s, u"wave-1"_s, u"wave-2"_s, u"wave-3"_s, u"wave-4"_s,
                                    u"wave-5"_s, u"templates"_s, u"integration"_s, u"testing"_s, u"training"_s, u"golive"_s,
                                    u"review"_s}));

        const Stage *backup = t.find(u"backup");
        QCOMPARE(backup->durationDays, 2);
        QCOMPARE(backup->start, QDate(2026, 11, 30));
        QCOMPARE(backup->end, QDate(2026, 12, 1));
        const Stage *setup = t.find(u"setup");
        QCOMPARE(setup->dependsOn, QStringList{u"backup"_s});
        QCOMPARE(setup->start, QDate(2026, 12, 2));
        QCOMPARE(setup->end, QDate(2026, 12, 4)); // Wed..Fri
        const Stage *wave0 = t.find(u"wave-0");
        QCOMPARE(wave0->kind, StageKind::SuppressionWave);
        QCOMPARE(wave0->contacts, qint64(6000));
        QCOMPARE(wave0->start, QDate(2026, 12, 7)); // Monday after the weekend
        // Suppressions come before any subscriber wave, and the waves form a chain.
        for (int n = 1; n <= 5; ++n) {
            const Stage *w = t.find(u"wave-%1"_s.arg(n));
            QVERIFY(w);
            QCOMPARE(w->kind, StageKind::SubscriberWave);
            QCOMPARE(w->dependsOn, QStringList{u"wave-%1"_s.arg(n - 1)});
            QVERIFY(w->start > t.find(u"wave-%1"_s.arg(n - 1))->end);
            QVERIFY(WorkingDays::isWorkingDay(w->start) && WorkingDays::isWorkingDay(w->end));
        }
        QCOMPARE(t.find(u"wave-1")->start, QDate(2026, 12, 8));
        QCOMPARE(t.find(u"wave-5")->end, QDate(2026, 12, 21)); // Friday and Monday
        // Assets size their stages: 12 templates -> 4 days; 2 integrations -> 5 days.
        QCOMPARE(t.find(u"templates")->durationDays, 4);
        QCOMPARE(t.find(u"integration")->durationDays, 5);

        const Stage *golive = t.find(u"golive");
        QVERIFY(golive->milestone);
        QCOMPARE(golive->dependsOn, (QStringList{u"wave-5"_s, u"testing"_s, u"training"_s}));
        QCOMPARE(golive->start, QDate(2026, 12, 22)); // the working day after the last wave
        QCOMPARE(golive->start, golive->end);
        const Stage *review = t.find(u"review");
        QCOMPARE(review->start, golive->end);
        QCOMPARE(t.end(), review->end);
        for (const Stage &s : t.stages) {
            QVERIFY2(!s.owner.isEmpty(), qPrintable(s.key));
            QVERIFY2(!s.entryCriteria.isEmpty() && !s.exitCriteria.isEmpty(), qPrintable(s.key));
        }
    }

    void generatedWithoutAssessment()
    {
        const Timeline t = TimelineGenerator::generate(nullptr, {}, QDate(2026, 11, 23));
        QVERIFY(t.find(u"wave-0"));
        QVERIFY(t.find(u"wave-1"));
        QVERIFY(!t.find(u"wave-2"));
        QCOMPARE(t.find(u"backup")->durationDays, 1);
        QVERIFY(t.end() > t.start);
    }
};

QTEST_GUILESS_MAIN(tst_Timeline)
#include "tst_timeline.moc"
