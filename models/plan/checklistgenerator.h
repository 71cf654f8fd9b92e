#pragma once

#include "core/result.h"
#include "plan/checklist.h"
#include "plan/timeline.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QList>
#include <QMap>
#include <QString>

/** One task of a checklist template. */
struct ChecklistTask
{
    QString title;          ///< may hold the placeholders {wave} and {contacts}
    bool milestone = false; ///< a go/no-go point
    int offsetDays = 0; ///< working days before the stage end it is due; 0: it follows the stage
};

/**
 * The tasks a migration needs for each kind of stage (resources/checklist/tasks.json): data, not
 * code, like the platform catalog.
 *
 * The file is an object with "stages": { "<stage kind key>": [ { "title": "...",
 * "milestone": true, "offsetDays": 2 }, ... ] }. Kinds are StageKinds::key(); a kind that is
 * missing gets no tasks. An optional "version" must be 1.
 */
class ChecklistTemplate
{
    Q_DECLARE_TR_FUNCTIONS(ChecklistTemplate)

public:
    /// Reads a template file (a resource path works too). The Error names the file and the task.
    static Result<ChecklistTemplate> load(const QString &path);
    /// Parses template JSON; `sourceName` is what errors name as the place.
    static Result<ChecklistTemplate> fromJson(const QByteArray &json, const QString &sourceName);

    QList<ChecklistTask> tasks(StageKind kind) const { return m_tasks.value(kind); }
    void setTasks(StageKind kind, const QList<ChecklistTask> &tasks)
    {
        m_tasks.insert(kind, tasks);
    }

private:
    QMap<StageKind, QList<ChecklistTask>> m_tasks;
};

/** Builds a migration's checklist from its timeline and a template. */
class ChecklistGenerator
{
    Q_DECLARE_TR_FUNCTIONS(ChecklistGenerator)

public:
    /**
     * One item per template task per stage, in the order of the stages, then of the tasks; the
     * stage's kind decides its tasks. Items are unsaved (id 0), open, without an owner (they
     * follow the stage's). An item's due date is null (it follows the stage's end) unless its task
     * has offsetDays > 0: then it is that many working days before the stage's end, which may lie
     * before the stage's start (preparation, e.g. DNS records before the setup). The timeline
     * must be scheduled; a stage without an end leaves every due date null.
     *
     * In titles, {wave} becomes the wave number (from a "wave-N" key, else the count of subscriber
     * waves so far; 0 for the suppression wave) and {contacts} the contacts the stage moves
     * ("all" when the stage has no count).
     */
    static QList<ChecklistItem> generate(const Timeline &timeline, const ChecklistTemplate &tpl);

    /// The placeholders a template title may use.
    static QStringList placeholders();
};
