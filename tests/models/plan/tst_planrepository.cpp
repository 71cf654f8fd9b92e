#include "assessment/assessmentrepository.h"
#include "plan/planrepository.h"
#include "store/projectstore.h"
#include "store/schema.h"
#include "testsupport.h"

#include <QFile>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

class tst_PlanRepository : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<ProjectStore> create(const QString &name)
    {
        auto store = ProjectStore::create(m_dir.filePath(name), u"Plan"_s);
        if (!store.ok())
            qWarning() << store.error().toString();
        return store.ok() ? std::move(store.value()) : nullptr;
    }

    static Stage stage(const QString &key, const QStringList &deps = {})
    {
        Stage s;
        s.key = key;
        s.kind = StageKind::Testing;
        s.title = u"Stage "_s + key;
        s.durationDays = 2;
        s.dependsOn = deps;
        return s;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void roundTripsEverything()
    {
        const QString file = m_dir.filePath(u"round.stagecoach"_s);
        {
            auto store = ProjectStore::create(file, u"Round"_s);
            QVERIFY(store.ok());
            PlanRepository repo(store.value()->database());

            Objective o;
            o.goal = u"deliverability"_s;
            o.title = u"Inbox, not spam"_s;
            o.kpi = u"Hard bounce rate"_s;
            o.comparison = Objective::Comparison::AtMost;
            o.threshold = 1.5;
            o.unit = u"%"_s;
            o.scope = u"first wave"_s;
            o.notes = u"Measured in the target's report, \"bounces\" tab"_s;
            auto id = repo.addObjective(o);
            QVERIFY(id.ok());
            o.id = id.value();
            Objective custom;
            custom.goal = u"custom"_s; // title and everything else left empty (null strings)
            QVERIFY(repo.addObjective(custom).ok());

            auto pid = repo.addPerson({0, u"Ana Lima"_s, u"Migration owner"_s, u"ana@example.com"_s});
            QVERIFY(pid.ok());
            QVERIFY(repo.setWeight(u"tags"_s, 5).ok());
            QVERIFY(repo.setWeight(u"cost"_s, 0).ok());
            QVERIFY(repo.setWeight(u"tags"_s, 4).ok()); // replaces

            Stage a = stage(u"a"_s);
            a.kind = StageKind::SuppressionWave;
            a.earliestStart = QDate(2026, 12, 1);
            a.entryCriteria = u"one\ntwo"_s;
            a.contacts = 1234567890123;
            Stage m = stage(u"m"_s, {u"a"_s});
            m.durationDays = 0;
            m.milestone = true;
            ChecklistItem item;
            item.stageKey = u"a"_s;
            item.title = u"Import suppressions"_s;
            item.due = QDate(2026, 12, 2);
            item.status = ChecklistItem::Status::Blocked;
            item.milestone = true;
            QVERIFY(repo.replacePlan({a, m}, {item}).ok());
        }
        auto store = ProjectStore::open(file);
        QVERIFY(store.ok());
        PlanRepository repo(store.value()->database());
        const QList<Objective> objectives = repo.objectives();
        QCOMPARE(objectives.size(), 2);
        QCOMPARE(objectives[0].title, u"Inbox, not spam"_s);
        QCOMPARE(objectives[0].comparison, Objective::Comparison::AtMost);
        QCOMPARE(objectives[0].threshold, 1.5);
        QCOMPARE(objectives[0].notes, u"Measured in the target's report, \"bounces\" tab"_s);
        QCOMPARE(objectives[0].criterion(), u"Hard bounce rate \u2264 1.5\u00a0% (first wave)"_s);
        QCOMPARE(objectives[1].goal, u"custom"_s);
        QVERIFY(objectives[1].title.isEmpty());

        QCOMPARE(repo.people().size(), 1);
        QCOMPARE(repo.people().first().email, u"ana@example.com"_s);
        QCOMPARE(repo.weights(), (QMap<QString, int>{{u"tags"_s, 4}, {u"cost"_s, 0}}));

        const QList<Stage> stages = repo.stages();
        QCOMPARE(stages.size(), 2);
        QCOMPARE(stages[0].key, u"a"_s);
        QCOMPARE(stages[0].kind, StageKind::SuppressionWave);
        QCOMPARE(stages[0].earliestStart, QDate(2026, 12, 1));
        QCOMPARE(stages[0].entryCriteria, u"one\ntwo"_s);
        QCOMPARE(stages[0].contacts, qint64(1234567890123));
        QVERIFY(stages[0].dependsOn.isEmpty());
        QCOMPARE(stages[1].dependsOn, QStringList{u"a"_s});
        QVERIFY(stages[1].milestone);
        QVERIFY(!stages[1].start.isValid()); // not scheduled by the repository

        const QList<ChecklistItem> items = repo.checklist();
        QCOMPARE(items.size(), 1);
        QCOMPARE(items[0].status, ChecklistItem::Status::Blocked);
        QCOMPARE(items[0].due, QDate(2026, 12, 2));
        QVERIFY(items[0].milestone);
    }

    void removingAStageCleansUp()
    {
        auto store = create(u"remove.stagecoach"_s);
        QVERIFY(store);
        PlanRepository repo(store->database());
        ChecklistItem onB;
        onB.stageKey = u"b"_s;
        onB.title = u"task on b"_s;
        ChecklistItem onC = onB;
        onC.stageKey = u"c"_s;
        QVERIFY(repo.replacePlan({stage(u"a"_s), stage(u"b"_s, {u"a"_s}), stage(u"c"_s, {u"a"_s, u"b"_s})}, {onB, onC}).ok());
        QVERIFY(repo.removeStage(u"b"_s).ok());
        const QList<Stage> stages = repo.stages();
        QCOMPARE(stages.size(), 2);
        QCOMPARE(stages[1].key, u"c"_s);
        QCOMPARE(stages[1].dependsOn, QStringList{u"a"_s});
        QCOMPARE(repo.checklist().size(), 1);
        QCOMPARE(repo.checklist().first().stageKey, u"c"_s);
    }

    void failedWriteChangesNothing()
    {
        auto store = create(u"fail.stagecoach"_s);
        QVERIFY(store);
        PlanRepository repo(store->database());
        QVERIFY(repo.replacePlan({stage(u"a"_s), stage(u"b"_s)}, {}).ok());
        // Two stages with the same key break the UNIQUE constraint half-way: nothing changes.
        const Status s = repo.replacePlan({stage(u"x"_s), stage(u"x"_s)}, {});
        QVERIFY(!s.ok());
        QVERIFY(s.error().message.contains(u"timeline could not be saved"_s));
        QVERIFY(!s.error().hint.isEmpty());
        const QList<Stage> stages = repo.stages();
        QCOMPARE(stages.size(), 2);
        QCOMPARE(stages[0].key, u"a"_s);
    }

    void updatingARecordThatIsGoneIsAnError()
    {
        auto store = create(u"gone.stagecoach"_s);
        QVERIFY(store);
        PlanRepository repo(store->database());
        QVERIFY(repo.replacePlan({stage(u"a"_s)}, {}, {{u"plan.start"_s, u"2027-01-04"_s}}).ok());
        QCOMPARE(store->value(u"plan.start"_s).toString(), u"2027-01-04"_s); // settings in the same transaction
        Stage stale = repo.stages().first();
        QVERIFY(repo.replacePlan({stage(u"a"_s)}, {}).ok()); // regenerated: new ids
        stale.title = u"Renamed"_s;
        const Status s = repo.updateStage(stale);
        QVERIFY(!s.ok());
        QVERIFY2(s.error().message.contains(u"no longer in the project"_s), qPrintable(s.error().message));
        QCOMPARE(repo.stages().first().title, u"Stage a"_s);
        Objective ghost;
        ghost.id = 999;
        QVERIFY(!repo.updateObjective(ghost).ok());
    }

    void upgradesAVersion1Project()
    {
        // A project written by the first release (schema 1): assessment assets but no plan tables.
        const QString file = m_dir.filePath(u"v1.stagecoach"_s);
        {
            auto v1 = ProjectStore::create(file, u"First release"_s, Schema::migrations().first(1));
            QVERIFY(v1.ok());
            QSqlDatabase db = v1.value()->database();
            QCOMPARE(Schema::userVersion(db), 1);
            QVERIFY(AssessmentRepository(db).addAsset(AssetKind::Template, u"Newsletter"_s).ok());
            QSqlQuery q(db);
            QVERIFY(!q.exec(u"SELECT COUNT(*) FROM stages"_s));
        }
        auto store = ProjectStore::open(file);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().toString()));
        QSqlDatabase db = store.value()->database();
        QCOMPARE(Schema::userVersion(db), Schema::currentVersion());
        QCOMPARE(AssessmentRepository(db).assets(AssetKind::Template).first().name, u"Newsletter"_s);
        PlanRepository repo(db);
        QVERIFY(repo.addObjective(Objective{}).ok());
        QVERIFY(repo.replacePlan({stage(u"a"_s)}, {}).ok());
        QCOMPARE(repo.stages().size(), 1);
        QVERIFY(QFile::exists(file + u".v1.bak"_s));
    }
};

QTEST_GUILESS_MAIN(tst_PlanRepository)
#include "tst_planrepository.moc"
