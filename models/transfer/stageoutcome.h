#pragma once

#include "contacts/contactstatus.h"
#include "transfer/transferconfig.h"
#include "transfer/transferjournal.h"

#include <QCoreApplication>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

/** What one run of a stage did (or, as a dry run, would do), as journaled in its counts. */
struct StageOutcome
{
    Q_DECLARE_TR_FUNCTIONS(StageOutcome)

public:
    qint64 runId = 0;
    StageRef ref;
    bool dryRun = false;
    RunState state = RunState::Running;
    QString message;       ///< why it stopped or what it found, translated; empty when all is well

    qint64 total = 0;      ///< records of the stage
    qint64 written = 0;    ///< written in this run (all attempts of it)
    qint64 failed = 0;     ///< rejected by the platform or by validation, in the error report
    qint64 pending = 0;    ///< neither written nor rejected yet (an interrupted run)
    qint64 notTransferred = 0; ///< wave 0 only: source records no wave writes (invalid, archived ...)
    qint64 duplicates = 0; ///< wave 0 only: second copies of an address, merged into the first
    QHash<ContactStatus, qint64> byStatus;  ///< the stage's records by source status
    QMap<QString, qint64> fieldsFilled;     ///< target field -> records with a value (waves)
    QList<RecordFailure> sampleFailures;    ///< a dry run's first rejections (at most 50)

    // Verification (real waves): read back from the target.
    bool verified = false;
    qint64 foundOnTarget = -1;
    qint64 missingOnTarget = -1;
    qint64 consentViolations = -1;
    /// Setup: the list's id on the target; backup: the folder; free text elsewhere.
    QString detail;
    qint64 created = 0;    ///< setup: lists and fields created
    qint64 existing = 0;   ///< setup: lists and fields already there
    qint64 elapsedMs = 0;

    QJsonObject toJson() const;
    static StageOutcome fromRun(const TransferRun &run);
    /// One line for a log or `stagecoach run`: "Wave 1: 1,204 written, 0 rejected, verified ...".
    QString summary() const;
};
