#pragma once

#include "plan/checklist.h"
#include "plan/timeline.h"

#include <QList>
#include <QString>

/** What one owner (a person or a role) carries in the plan: the resource allocation. */
struct Workload
{
    QString owner;
    int stages = 0;
    int workingDays = 0;   ///< sum of the durations of their stages
    int tasks = 0;
    int openTasks = 0;     ///< neither done nor skipped
    QDate firstDay;        ///< their first stage's start
    QDate lastDay;         ///< their last stage's end

    /// One entry per owner named on a stage or a task, most working days first; stages and
    /// tasks without an owner are counted under an empty owner, last.
    static QList<Workload> compute(const Timeline &timeline, const QList<ResolvedChecklistItem> &checklist);
};
