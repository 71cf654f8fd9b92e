#pragma once

#include "core/recordtablemodel.h"
#include "core/result.h"
#include "plan/checklist.h"
#include "plan/objective.h"
#include "plan/platformchoice.h"
#include "plan/scoringmodel.h"
#include "plan/timeline.h"

#include <QObject>

class AssessmentController;
class ChecklistTemplate;
class PlatformCatalog;
class ProjectStore;
struct PlanDocument;

using ObjectivesModel = RecordTableModel<Objective>;
using PeopleModel = RecordTableModel<Person>;
using StagesModel = RecordTableModel<Stage>;
using ChecklistModel = RecordTableModel<ResolvedChecklistItem>;

/**
 * The planning steps without their widgets: objectives, the platform choice with its scoring,
 * the timeline with its people, and the checklist. Every change is written to the project as it
 * is made; the timeline is rescheduled after each change and the checklist follows it.
 */
class PlanController : public QObject
{
    Q_OBJECT

public:
    enum ObjectiveColumn { ObjGoal, ObjTitle, ObjKpi, ObjComparison, ObjThreshold, ObjUnit, ObjScope, ObjNotes };
    enum PersonColumn { PersonName, PersonRole, PersonEmail };
    enum StageColumn { StageTitle, StageOwner, StageStart, StageEnd, StageDays, StageDepends, StageContacts };
    enum ChecklistColumn { TaskStage, TaskTitle, TaskOwner, TaskDue, TaskStatus, TaskNotes };

    PlanController(ProjectStore *store, const PlatformCatalog *catalog, const ChecklistTemplate *checklistTemplate,
                   AssessmentController *assessment, QObject *parent = nullptr);
    ~PlanController() override;

    QString projectName() const;
    /// The whole plan as the PDF and the exports show it, read from the project.
    Result<PlanDocument> document() const;

    // Objectives
    ObjectivesModel *objectivesModel() { return m_objectives; }
    QList<Objective> objectives() const { return m_objectives->records(); }
    bool addObjective(const Objective &objective);
    bool removeObjective(int row);

    // Platform choice
    ScoringModel *scoringModel() { return &m_scoring; }
    QList<PlatformScore> ranking() const { return m_scoring.ranking(); }
    PlatformChoice choice() const;
    /// Records the decision and checks the assessment's risks against it.
    bool choose(const QString &platformId, const QString &reasons);
    bool setChoiceReasons(const QString &reasons);
    bool resetWeights();
    /// Scores the catalog again (the assessment or the objectives changed).
    void rescore();

    // People and the plan's owner
    PeopleModel *peopleModel() { return m_people; }
    QList<Person> people() const { return m_people->records(); }
    bool addPerson(const Person &person);
    bool removePerson(int row);
    QString owner() const;
    bool setOwner(const QString &owner);

    // Timeline
    bool hasTimeline() const { return !m_timeline.stages.isEmpty(); }
    const Timeline &timeline() const { return m_timeline; }
    QDate startDate() const;
    bool setStartDate(const QDate &date);
    /// Generates the stages and the checklist from the assessment, replacing what was there.
    bool generateTimeline();
    /// True when the assessment changed after the timeline was generated.
    bool timelineOutdated() const;
    StagesModel *stagesModel() { return m_stages; }
    /// Saves a changed stage (found by id) and reschedules.
    bool updateStage(const Stage &stage);
    bool addStage(const QString &title, const QString &afterKey);
    bool removeStage(const QString &key);

    // Checklist
    ChecklistModel *checklistModel() { return m_checklist; }
    bool addTask(const QString &stageKey, const QString &title);
    bool removeTask(int row);
    bool regenerateChecklist();

Q_SIGNALS:
    void objectivesChanged();
    void rankingChanged();
    void choiceChanged();
    void timelineChanged();
    void checklistChanged();
    void ownerChanged();
    /// A change could not be saved (the project and the models are unchanged).
    void failed(const Error &error);

private:
    bool check(const Status &status);
    void load();
    void reschedule();
    void reloadChecklist();
    QString stageOwner(const QString &stageKey) const;

    ProjectStore *m_store;
    const PlatformCatalog *m_catalog;
    const ChecklistTemplate *m_template;
    AssessmentController *m_assessment;
    ObjectivesModel *m_objectives;
    PeopleModel *m_people;
    StagesModel *m_stages;
    ChecklistModel *m_checklist;
    ScoringModel m_scoring;
    Timeline m_timeline;
};
