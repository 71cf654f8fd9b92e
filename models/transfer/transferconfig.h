#pragma once

#include "connectors/connector.h"
#include "connectors/fieldmapping.h"
#include "plan/timelinegenerator.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

class TransferMemo;

/** A stage of the transfer: "backup", "setup", "suppressions" (wave 0) or "wave" 1..N. */
struct StageRef
{
    QString stage;
    int wave = 0;

    bool isWave() const;          ///< suppressions or a subscriber wave
    QString title() const;        ///< translated: "Backup", "Wave 0: suppressions", "Wave 2"
    QString id() const;           ///< "backup", "setup", "wave-0", "wave-2" (as the timeline keys them)
    static std::optional<StageRef> fromId(QStringView id);
    friend bool operator==(const StageRef &, const StageRef &) = default;
};

/** What to run. */
struct StageRequest
{
    StageRef ref;
    bool dryRun = false;
};

/** How a wave is verified once written. */
enum class VerifyMode {
    ReadBack, ///< read the target's contacts back: every written contact there, none more subscribed
    None,     ///< benchmarks only
};

/** Everything the transfer engine needs to know of a project. */
struct TransferConfig
{
    QString projectPath;
    ConnectionSettings source;
    QString audienceId;
    ConnectionSettings target;
    QString listName;                ///< the migration's list on the target
    QList<FieldMappingRow> mapping;  ///< the project's field mapping for the target
    QList<WavePlan> waves;           ///< wave 0 first, then the subscriber waves
    QStringList seeds;               ///< test or seed addresses: first in the first wave
    int batchSize = 0;               ///< 0: the target's largest batch
    VerifyMode verify = VerifyMode::ReadBack;
    /// Approve a cleanly finished stage before the next one starts (stagecoach run --yes).
    bool autoApprove = false;
    QString approver;                ///< who approves automatically ("alice (stagecoach run --yes)")
    /// What earlier stages of the session learnt (the backup verified, the waves); may be null.
    std::shared_ptr<TransferMemo> memo;

    /// backup, setup, suppressions, then wave 1..N as planned.
    QList<StageRef> stages() const;
    int lastWave() const;
};
