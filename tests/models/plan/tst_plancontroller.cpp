#include "assessment/assessmentcontroller.h"
#include "assessment/assessmentrepository.h"
#include "catalog/platformcatalog.h"
#include "plan/checklistgenerator.h"
#include "plan/plancontroller.h"
#include "reports/plandocument.h"
#include "store/projectstore.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;

namespace {

Inventory mailchimpInventory()
{
    Inventory inv;
    inv.dialect = ExportDialect::Mailchimp;
    inv.byStatus[size_t(ContactStatus::Subscribed)] = 40000;
    inv.byStatus[size_t(ContactStatus::Unsubscribed)] = 3000;
    inv.byStatus[size_t(ContactStatus::Cleaned)] = 800;
    inv.byStatus[size_t(ContactStatus::Complained)] = 12;
    inv.total = 43812;
    inv.engagement.ratingAvailable = true;
    inv.engagement.rating[5] = 1500;
    inv.engagement.rating[4] = 1000;
    inv.fields = {{u"FNAME"_s, FieldType::Text, 40000, true}, {u"BIRTHDAY"_s, FieldType::Birthday, 1200, true}};
    inv.tags = {{u"VIP"_s, 300}};
    return inv;
}

} // namespace

class tst_PlanController : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::optional<PlatformCatalog> m_catalog;
    std::optional<ChecklistTemplate> m_template;

    struct Session
    {
        std::unique_ptr<ProjectStore> store;
        std::unique_ptr<AssessmentController> assessment;
        std::unique_ptr<PlanController> plan;
    };

    Session open(const QString &file)
    {
        Session s;
        auto store = ProjectStore::open(file);
        if (!store.ok()) {
            qWarning() << store.error().toString();
            return s;
        }
        s.store = std::move(store.value());
        s.assessment = std::make_unique<AssessmentController>(s.store.get(), &*m_catalog);
        s.plan = std::make_unique<PlanController>(s.store.get(), &*m_catalog, &*m_template, s.assessment.get());
        for (QAbstractItemModel *m : {static_cast<QAbstractItemModel *>(s.plan->objectivesModel()),
                                      static_cast<QAbstractItemModel *>(s.plan->peopleModel()),
                                      static_cast<QAbstractItemModel *>(s.plan->stagesModel()),
                                      static_cast<QAbstractItemModel *>(s.plan->checklistModel()),
                                      static_cast<QAbstractItemModel *>(s.plan->scoringModel())})
            new QAbstractItemModelTester(m, QAbstractItemModelTester::FailureReportingMode::QtTest, s.plan.get());
        return s;
    }

    QString newProject(const QString &name, bool withAssessment)
    {
        const QString file = m_dir.filePath(name);
        auto store = ProjectStore::create(file, u"Spring move"_s);
        if (!store.ok())
            return {};
        if (withAssessment) {
            AssessmentRepository repo(store.value()->database());
            if (!repo.save({u"/data/members.csv"_s}, mailchimpInventory(), QDateTime::currentDateTimeUtc()).ok())
                return {};
            (void)repo.addAsset(AssetKind::Template, u"Newsletter"_s);
        }
        return file;
    }

    static int rowOfStage(StagesModel *model, const QString &key)
    {
        for (int r = 0; r < model->rowCount(); ++r) {
            if (model->at(r).key == key)
                return r;
        }
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto catalog = PlatformCatalog::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/catalog/platforms.json"_s);
        QVERIFY(catalog.ok());
        m_catalog = std::move(catalog.value());
        auto tpl = ChecklistTemplate::load(QStringLiteral(STAGECOACH_SOURCE_DIR) + u"/resources/checklist/tasks.json"_s);
        QVERIFY2(tpl.ok(), qPrintable(tpl.ok() ? QString() : tpl.error().toString()));
        m_template = std::move(tpl.value());
    }

    void objectivesAreEditedAndKept()
    {
        const QString file = newProject(u"objectives.stagecoach"_s, true);
        QVERIFY(!file.isEmpty());
        {
            Session s = open(file);
            QVERIFY(s.plan);
            QSignalSpy changed(s.plan.get(), &PlanController::objectivesChanged);
            const CommonGoal *goal = CommonGoals::find(u"deliverability");
            QVERIFY(goal && !goal->kpis.isEmpty());
            QVERIFY(s.plan->addObjective(goal->kpis.first()));
            QCOMPARE(changed.count(), 1);
            ObjectivesModel *m = s.plan->objectivesModel();
            QCOMPARE(m->rowCount(), 1);
            QCOMPARE(m->index(0, PlanController::ObjGoal).data().toString(), goal->title);
            // A threshold typed as text, and a comparison written the ASCII way.
            QVERIFY(m->setData(m->index(0, PlanController::ObjThreshold), u"1.5"_s));
            QVERIFY(m->setData(m->index(0, PlanController::ObjComparison), u"<="_s));
            QVERIFY(!m->setData(m->index(0, PlanController::ObjComparison), u"about"_s));
            QVERIFY(!m->setData(m->index(0, PlanController::ObjThreshold), u"lots"_s));
            QVERIFY(!m->setData(m->index(0, PlanController::ObjThreshold), u"nan"_s));
            QVERIFY(!m->setData(m->index(0, PlanController::ObjThreshold), u"inf"_s));
            QCOMPARE(m->index(0, PlanController::ObjComparison).data().toString(), u"\u2264"_s);
            // Thresholds are edited as text: a small one keeps its digits.
            QVERIFY(m->setData(m->index(0, PlanController::ObjThreshold), u"0.005"_s));
            QCOMPARE(m->index(0, PlanController::ObjThreshold).data(Qt::EditRole).toString(), u"0.005"_s);
            QVERIFY(m->setData(m->index(0, PlanController::ObjThreshold), u"1.5"_s));
            Objective custom;
            custom.goal = u"custom"_s;
            custom.title = u"Fewer tools"_s;
            custom.kpi = u"Tools in the stack"_s;
            custom.threshold = 3;
            QVERIFY(s.plan->addObjective(custom));
            QVERIFY(s.plan->addObjective(custom));
            QVERIFY(s.plan->removeObjective(2));
            QVERIFY(!s.plan->removeObjective(7));
        }
        Session s = open(file);
        const QList<Objective> objectives = s.plan->objectives();
        QCOMPARE(objectives.size(), 2);
        QCOMPARE(objectives[0].threshold, 1.5);
        QCOMPARE(objectives[0].comparison, Objective::Comparison::AtMost);
        QCOMPARE(objectives[1].title, u"Fewer tools"_s);
        QCOMPARE(s.plan->objectivesModel()->index(1, PlanController::ObjGoal).data().toString(), u"Custom"_s);
    }

    void platformChoiceIsScoredAndRecorded()
    {
        const QString file = newProject(u"choice.stagecoach"_s, true);
        {
            Session s = open(file);
            const QList<PlatformScore> ranking = s.plan->ranking();
            QVERIFY(ranking.size() >= 5);
            for (int i = 0; i < ranking.size(); ++i) {
                QVERIFY2(ranking[i].platformId != u"mailchimp", "the source is not a candidate");
                if (i > 0)
                    QVERIFY(ranking[i - 1].total >= ranking[i].total);
            }
            ScoringModel *m = s.plan->scoringModel();
            QCOMPARE(m->columnCount(), ScoringModel::FirstPlatformColumn + int(ranking.size()));
            QCOMPARE(m->rowCount(), int(s.plan->scoringModel()->criteria().size()) + 1);
            QVERIFY(m->isTotalRow(m->rowCount() - 1));

            // Changing a weight is saved and re-ranks (after the edit has been committed).
            QSignalSpy reranked(s.plan.get(), &PlanController::rankingChanged);
            const QString key = m->criteria().first().key;
            QVERIFY(m->setData(m->index(0, ScoringModel::WeightColumn), 0));
            QVERIFY(!m->setData(m->index(0, ScoringModel::WeightColumn), 9));
            QVERIFY(reranked.wait(2000));
            QCOMPARE(m->criteria().first().weight, 0);
            QCOMPARE(m->criteria().first().key, key);

            QSignalSpy chosen(s.plan.get(), &PlanController::choiceChanged);
            QVERIFY(!s.plan->choose(u"no-such-platform"_s, u"x"_s));
            QVERIFY(s.plan->choose(u"brevo"_s, u"Transactional email included; price per email sent."_s));
            QCOMPARE(chosen.count(), 1);
            QCOMPARE(s.assessment->targetId(), u"brevo"_s); // risks are checked against the choice
            QCOMPARE(m->headerData(ScoringModel::FirstPlatformColumn + 0, Qt::Horizontal).toString().contains(u"(chosen)"_s), ranking.first().platformId == u"brevo");
        }
        Session s = open(file);
        const PlatformChoice c = s.plan->choice();
        QCOMPARE(c.platformId, u"brevo"_s);
        QCOMPARE(c.reasons, u"Transactional email included; price per email sent."_s);
        QVERIFY(c.decidedAt.isValid());
        QCOMPARE(s.plan->scoringModel()->criteria().first().weight, 0); // the weight was kept
        QVERIFY(s.plan->resetWeights());
        QVERIFY(s.plan->scoringModel()->criteria().first().weight > 0);
    }

    void timelineIsGeneratedEditedAndReopened()
    {
        const QString file = newProject(u"timeline.stagecoach"_s, true);
        QDate golive;
        {
            Session s = open(file);
            QVERIFY(!s.plan->hasTimeline());
            QVERIFY(s.plan->setStartDate(QDate(2027, 1, 4)));
            QSignalSpy timelineChanged(s.plan.get(), &PlanController::timelineChanged);
            QVERIFY(s.plan->generateTimeline());
            QVERIFY(timelineChanged.count() >= 1);
            QVERIFY(!s.plan->timelineOutdated());
            StagesModel *stages = s.plan->stagesModel();
            ChecklistModel *checklist = s.plan->checklistModel();
            QVERIFY(stages->rowCount() >= 10);
            QVERIFY(checklist->rowCount() >= stages->rowCount());
            const Timeline &t = s.plan->timeline();
            QCOMPARE(t.find(u"backup")->start, QDate(2027, 1, 4));
            // 40,000 subscribers, 2,500 engaged: waves of 2,500, 5,000, 10,000, 22,500.
            QCOMPARE(t.find(u"wave-1")->contacts, qint64(2500));
            QCOMPARE(t.find(u"wave-4")->contacts, qint64(22500));
            QVERIFY(!t.find(u"wave-5"));
            QCOMPARE(t.find(u"wave-0")->contacts, qint64(3812));

            // Every task is due by its stage's end unless given its own date.
            for (int r = 0; r < checklist->rowCount(); ++r) {
                const ResolvedChecklistItem &item = checklist->at(r);
                const Stage *stage = t.find(item.item.stageKey);
                QVERIFY(stage);
                QVERIFY(item.due <= stage->end);
                QVERIFY(!item.owner.isEmpty());
            }

            // Two more days of setup push every wave and go-live two working days later.
            golive = t.find(u"golive")->start;
            const QDate wave1 = t.find(u"wave-1")->start;
            const int setupRow = rowOfStage(stages, u"setup"_s);
            const int setupDays = stages->at(setupRow).durationDays;
            QVERIFY(stages->setData(stages->index(setupRow, PlanController::StageDays), setupDays + 2));
            QVERIFY(!stages->setData(stages->index(setupRow, PlanController::StageDays), -1));
            QCOMPARE(s.plan->timeline().find(u"wave-1")->start, WorkingDays::add(wave1, 2));
            QCOMPARE(s.plan->timeline().find(u"golive")->start, WorkingDays::add(golive, 2));
            QCOMPARE(stages->index(rowOfStage(stages, u"wave-1"_s), PlanController::StageStart).data(Qt::EditRole).toDate(),
                     WorkingDays::add(wave1, 2));

            // A start date left as it was pins nothing; another one pins the stage; unpinned, it follows again.
            const int trainingRow = rowOfStage(stages, u"training"_s);
            const QModelIndex trainingStart = stages->index(trainingRow, PlanController::StageStart);
            const QDate followed = trainingStart.data(Qt::EditRole).toDate();
            QVERIFY(!stages->setData(trainingStart, followed));
            QVERIFY(!s.plan->timeline().find(u"training")->earliestStart.isValid());
            const QDate later = WorkingDays::add(followed, 10);
            QVERIFY(stages->setData(trainingStart, later));
            QCOMPARE(s.plan->timeline().find(u"training")->start, later);
            QVERIFY(stages->setData(stages->index(rowOfStage(stages, u"setup"_s), PlanController::StageDays), setupDays + 3));
            QCOMPARE(s.plan->timeline().find(u"training")->start, later); // pinned: the setup's extra day does not move it
            Stage unpinned = *s.plan->timeline().find(u"training");
            unpinned.earliestStart = QDate();
            QVERIFY(s.plan->updateStage(unpinned));
            QCOMPARE(s.plan->timeline().find(u"training")->start, WorkingDays::add(followed, 1));
            QVERIFY(stages->setData(stages->index(rowOfStage(stages, u"setup"_s), PlanController::StageDays), setupDays + 2));
            QCOMPARE(s.plan->timeline().find(u"training")->start, followed);
            golive = s.plan->timeline().find(u"golive")->start;

            // The owner of a stage becomes the owner of its tasks; a task's own owner stays.
            QVERIFY(stages->setData(stages->index(setupRow, PlanController::StageOwner), u"Ben (IT)"_s));
            int setupTask = -1;
            for (int r = 0; r < checklist->rowCount(); ++r) {
                if (checklist->at(r).item.stageKey == u"setup") {
                    setupTask = r;
                    break;
                }
            }
            QVERIFY(setupTask >= 0);
            QCOMPARE(checklist->index(setupTask, PlanController::TaskOwner).data().toString(), u"Ben (IT)"_s);
            QVERIFY(checklist->setData(checklist->index(setupTask, PlanController::TaskStatus), u"done"_s));
            QVERIFY(!checklist->setData(checklist->index(setupTask, PlanController::TaskStatus), u"finished?"_s));
            QVERIFY(checklist->setData(checklist->index(setupTask, PlanController::TaskDue), QDate(2027, 1, 6)));
            QCOMPARE(checklist->index(setupTask, PlanController::TaskStatus).data().toString(), u"Done"_s);

            const int before = checklist->rowCount();
            QVERIFY(s.plan->addTask(u"golive"_s, u"Tell customer service"_s));
            QCOMPARE(checklist->rowCount(), before + 1);
            QVERIFY(!s.plan->addTask(u"nowhere"_s, u"lost"_s));
            QVERIFY(s.plan->addPerson({0, u"Ben"_s, u"Developer"_s, u"ben@example.com"_s}));
            QVERIFY(!s.plan->peopleModel()->setData(s.plan->peopleModel()->index(0, PlanController::PersonEmail), u"not an address"_s));
            QVERIFY(s.plan->setOwner(u"Ana Lima"_s));
        }
        Session s = open(file);
        QVERIFY(s.plan->hasTimeline());
        QCOMPARE(s.plan->startDate(), QDate(2027, 1, 4));
        QCOMPARE(s.plan->timeline().find(u"golive")->start, golive);
        QCOMPARE(s.plan->timeline().find(u"setup")->owner, u"Ben (IT)"_s);
        QCOMPARE(s.plan->owner(), u"Ana Lima"_s);
        QCOMPARE(s.plan->people().first().email, u"ben@example.com"_s);
        bool found = false;
        for (const ResolvedChecklistItem &r : s.plan->checklistModel()->records()) {
            if (r.item.stageKey == u"setup" && r.item.status == ChecklistItem::Status::Done) {
                QCOMPARE(r.due, QDate(2027, 1, 6));
                QCOMPARE(r.owner, u"Ben (IT)"_s);
                found = true;
            }
            if (r.item.title == u"Tell customer service")
                QCOMPARE(r.due, golive);
        }
        QVERIFY(found);

        // The document the exports use reads the same project.
        auto doc = PlanDocument::load(*s.store, *m_catalog);
        QVERIFY(doc.ok());
        QCOMPARE(doc->projectName, u"Spring move"_s);
        QCOMPARE(doc->owner, u"Ana Lima"_s);
        QCOMPARE(doc->sourceName, u"Mailchimp"_s);
        QCOMPARE(doc->timeline.find(u"golive")->start, golive);
        QCOMPARE(doc->checklist.size(), s.plan->checklistModel()->rowCount());
        QVERIFY(!doc->risks.isEmpty());
        QVERIFY(!doc->ranking.isEmpty());

        // Removing a stage removes its tasks and the dependencies on it.
        QVERIFY(s.plan->removeStage(u"training"_s));
        QVERIFY(!s.plan->timeline().find(u"golive")->dependsOn.contains(u"training"_s));
        for (const ResolvedChecklistItem &r : s.plan->checklistModel()->records())
            QVERIFY(r.item.stageKey != u"training");
        QVERIFY(s.plan->addStage(u"Legal review"_s, u"setup"_s));
        QVERIFY(s.plan->timeline().find(u"custom-1"));
        QCOMPARE(s.plan->timeline().find(u"custom-1")->dependsOn, QStringList{u"setup"_s});
    }

    void aFailedSaveChangesNothing()
    {
        const QString file = newProject(u"readonly.stagecoach"_s, true);
        Session s = open(file);
        QVERIFY(s.plan->generateTimeline());
        QSqlQuery q(s.store->database());
        QVERIFY(q.exec(u"PRAGMA query_only = ON"_s)); // every write now fails, like a full disk
        QSignalSpy failed(s.plan.get(), &PlanController::failed);
        StagesModel *stages = s.plan->stagesModel();
        const int row = rowOfStage(stages, u"backup"_s);
        const int days = stages->at(row).durationDays;
        QVERIFY(!stages->setData(stages->index(row, PlanController::StageDays), days + 3));
        QCOMPARE(stages->at(row).durationDays, days);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!failed.first().first().value<Error>().hint.isEmpty());
        QVERIFY(!s.plan->addObjective(Objective{}));
        QCOMPARE(s.plan->objectivesModel()->rowCount(), 0);
        QVERIFY(!s.plan->generateTimeline());
        // The choice is three settings: none of them is written when the save fails.
        QVERIFY(!s.plan->choose(u"klaviyo"_s, u"cheaper"_s));
        QVERIFY(s.plan->choice().platformId.isEmpty());
        QVERIFY(s.plan->choice().reasons.isEmpty());
        QVERIFY(q.exec(u"PRAGMA query_only = OFF"_s));
        QCOMPARE(s.plan->timeline().find(u"backup")->durationDays, days);
    }

    void timelineIsOutdatedWhenTheAssessmentChanges()
    {
        const QString file = newProject(u"outdated.stagecoach"_s, false);
        const QString subscribed = TestSupport::writeFile(m_dir.path(), u"subscribed_members_export_o.csv"_s,
                                                          "Email Address,First Name\r\nann@example.com,Ann\r\nbob@example.com,Bob\r\n");
        const QString unsubscribed = TestSupport::writeFile(m_dir.path(), u"unsubscribed_members_export_o.csv"_s,
                                                            "Email Address,First Name\r\ncy@example.com,Cy\r\n");
        Session s = open(file);
        QSignalSpy assessed(s.assessment.get(), &AssessmentController::inventoryChanged);
        s.assessment->addFiles({subscribed});
        QVERIFY(assessed.wait(20000));
        QVERIFY(s.plan->generateTimeline());
        QVERIFY(!s.plan->timelineOutdated());
        QCOMPARE(s.plan->timeline().find(u"wave-0")->contacts, qint64(0));

        // New files: the waves were sized for the old figures.
        QTest::qWait(5); // a later assessment time
        s.assessment->addFiles({unsubscribed});
        QVERIFY(assessed.wait(20000));
        QVERIFY(s.plan->timelineOutdated());
        QVERIFY(s.plan->generateTimeline());
        QVERIFY(!s.plan->timelineOutdated());
        QCOMPARE(s.plan->timeline().find(u"wave-0")->contacts, qint64(1));
    }

    void worksWithoutAnAssessment()
    {
        const QString file = newProject(u"empty.stagecoach"_s, false);
        Session s = open(file);
        QVERIFY(!s.plan->ranking().isEmpty());
        QVERIFY(s.plan->generateTimeline());
        QVERIFY(s.plan->timeline().find(u"wave-1"));
        QVERIFY(!s.plan->timelineOutdated());
    }
};

QTEST_MAIN(tst_PlanController)
#include "tst_plancontroller.moc"
