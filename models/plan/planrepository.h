#pragma once

#include "core/result.h"
#include "plan/checklist.h"
#include "plan/objective.h"
#include "plan/timeline.h"

#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QPair>
#include <QVariant>
#include <QSqlDatabase>

/**
 * Reads and writes the plan in a project file: objectives, people, scoring weights, stages and
 * the checklist. Every write is its own transaction; a failed write changes nothing.
 */
class PlanRepository
{
    Q_DECLARE_TR_FUNCTIONS(PlanRepository)

public:
    explicit PlanRepository(QSqlDatabase db) : m_db(std::move(db)) {}

    QList<Objective> objectives() const;
    Result<qint64> addObjective(const Objective &objective);
    Status updateObjective(const Objective &objective);
    Status removeObjective(qint64 id);

    QList<Person> people() const;
    Result<qint64> addPerson(const Person &person);
    Status updatePerson(const Person &person);
    Status removePerson(qint64 id);

    /// The weights the user changed, by criterion key.
    QMap<QString, int> weights() const;
    Status setWeight(const QString &key, int weight);
    Status clearWeights();

    /// The stages in plan order, not scheduled (start and end are null).
    QList<Stage> stages() const;
    Status updateStage(const Stage &stage);
    Result<qint64> addStage(const Stage &stage);
    /// Removes a stage, the dependencies on it and its checklist items.
    Status removeStage(const QString &key);

    QList<ChecklistItem> checklist() const;
    Result<qint64> addChecklistItem(const ChecklistItem &item);
    Status updateChecklistItem(const ChecklistItem &item);
    Status removeChecklistItem(qint64 id);

    /// Replaces the stages and the checklist together (a generated plan), and sets the given
    /// project settings, in one transaction.
    Status replacePlan(const QList<Stage> &stages, const QList<ChecklistItem> &checklist,
                       const QList<QPair<QString, QVariant>> &settings = {});
    /// Replaces only the checklist.
    Status replaceChecklist(const QList<ChecklistItem> &checklist);

private:
    QSqlDatabase m_db;
};
