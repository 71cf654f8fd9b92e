#include "plan/workload.h"

#include <QTest>

using namespace Qt::StringLiterals;

class tst_Workload : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void countsStagesDaysAndTasksPerOwner()
    {
        Timeline t;
        t.start = QDate(2026, 11, 30);
        auto stage = [](const QString &key, int days, const QString &owner, const QStringList &deps = {}) {
            Stage s;
            s.key = key;
            s.title = key;
            s.durationDays = days;
            s.milestone = days == 0;
            s.owner = owner;
            s.dependsOn = deps;
            return s;
        };
        t.stages = {stage(u"backup"_s, 2, u"Ana"_s), stage(u"setup"_s, 3, u"Developer"_s, {u"backup"_s}),
                    stage(u"wave-1"_s, 2, u"Ana"_s, {u"setup"_s}), stage(u"golive"_s, 0, u"Ana"_s, {u"wave-1"_s}),
                    stage(u"review"_s, 1, QString(), {u"golive"_s})};
        t.schedule();
        auto task = [](const QString &stage, const QString &owner, ChecklistItem::Status status) {
            ResolvedChecklistItem r;
            r.item.stageKey = stage;
            r.item.status = status;
            r.owner = owner;
            return r;
        };
        const QList<ResolvedChecklistItem> tasks = {
            task(u"backup"_s, u"Ana"_s, ChecklistItem::Status::Done), task(u"backup"_s, u"Ana"_s, ChecklistItem::Status::Open),
            task(u"setup"_s, u"Developer"_s, ChecklistItem::Status::Skipped), task(u"setup"_s, u"Ben"_s, ChecklistItem::Status::Blocked)};

        const QList<Workload> loads = Workload::compute(t, tasks);
        QCOMPARE(loads.size(), 4);
        // Most working days first; nobody (an unowned stage) last.
        QCOMPARE(loads[0].owner, u"Ana"_s);
        QCOMPARE(loads[0].stages, 3);
        QCOMPARE(loads[0].workingDays, 4); // the milestone takes no days
        QCOMPARE(loads[0].tasks, 2);
        QCOMPARE(loads[0].openTasks, 1);
        QCOMPARE(loads[0].firstDay, QDate(2026, 11, 30));
        QCOMPARE(loads[0].lastDay, QDate(2026, 12, 9)); // the go-live milestone
        QCOMPARE(loads[1].owner, u"Developer"_s);
        QCOMPARE(loads[1].workingDays, 3);
        QCOMPARE(loads[1].openTasks, 0);
        QCOMPARE(loads[2].owner, u"Ben"_s); // a task owner without a stage
        QCOMPARE(loads[2].stages, 0);
        QCOMPARE(loads[2].openTasks, 1);
        QVERIFY(!loads[2].firstDay.isValid());
        QVERIFY(loads[3].owner.isEmpty());
        QCOMPARE(loads[3].workingDays, 1);
    }
};

QTEST_GUILESS_MAIN(tst_Workload)
#include "tst_workload.moc"
