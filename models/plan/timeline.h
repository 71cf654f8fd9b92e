#pragma once

#include <QCoreApplication>
#include <QDate>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

/** Someone who works on the migration: the resource allocation of the plan. */
struct Person
{
    qint64 id = 0;
    QString name;
    QString role;  ///< "Migration owner", "Email marketer", "Developer" ...
    QString email;
};

enum class StageKind {
    Backup,
    InitialSetup,
    SuppressionWave, ///< wave 0: every unsubscribed, cleaned and complained contact
    SubscriberWave,  ///< waves 1..N, most engaged first
    Templates,       ///< templates and history
    Integration,
    Testing,
    Training,
    GoLive,
    Review,
};

namespace StageKinds {
QString key(StageKind kind);                       ///< "backup", "setup", "suppressions", "wave", ...
std::optional<StageKind> fromKey(QStringView key);
QStringList keys();                                ///< every kind's key, in plan order
QString displayName(StageKind kind);               ///< translated, for legends: "Subscriber waves"
} // namespace StageKinds

/**
 * One stage of the timeline. Durations are in working days (Monday to Friday); a milestone has
 * no duration. start and end are computed by Timeline::schedule() from the plan's start date,
 * the dependencies and an optional earliest start the user pinned.
 */
struct Stage
{
    qint64 id = 0;
    QString key;            ///< unique in the plan: "backup", "setup", "wave-0", "wave-1", ..., "golive"
    StageKind kind = StageKind::Backup;
    QString title;
    int durationDays = 1;   ///< working days; 0 for a milestone
    bool milestone = false;
    QDate earliestStart;    ///< pinned by the user; null when the dependencies decide
    QStringList dependsOn;  ///< keys of stages that must end first
    QString owner;          ///< a person's name or a role
    QString entryCriteria;  ///< one criterion per line
    QString exitCriteria;   ///< one criterion per line
    qint64 contacts = 0;    ///< contacts the stage moves (waves), 0 otherwise
    QString notes;

    // Computed by Timeline::schedule().
    QDate start;
    QDate end;              ///< last working day of the stage (== start for a milestone)
};

/** The stages of a migration with their dates. */
struct Timeline
{
    Q_DECLARE_TR_FUNCTIONS(Timeline)

public:
    QDate start;            ///< the plan's first working day
    QList<Stage> stages;    ///< in plan order

    const Stage *find(QStringView key) const;
    Stage *find(QStringView key);
    QDate end() const;      ///< the last stage's end

    /// Computes every stage's start and end. Dependencies on unknown keys are ignored;
    /// a cycle is broken at the first stage that closes it.
    void schedule();
};

namespace WorkingDays {
bool isWorkingDay(const QDate &d);
/// d itself if it is a working day, else the next one.
QDate onOrAfter(const QDate &d);
/// The working day n working days after d (n >= 0; 0 gives onOrAfter(d)).
QDate add(const QDate &d, int n);
/// d itself if it is a working day, else the previous one.
QDate onOrBefore(const QDate &d);
/// The working day n working days before d (n >= 0; 0 gives onOrBefore(d)).
QDate subtract(const QDate &d, int n);
} // namespace WorkingDays
