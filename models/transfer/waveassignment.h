#pragma once

#include "connectors/consentmapping.h"
#include "core/result.h"
#include "plan/timelinegenerator.h"

#include <QCoreApplication>
#include <QDate>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

/** What the wave assignment needs to know of one source contact. */
struct WaveCandidate
{
    QString email;
    ContactStatus status = ContactStatus::Unknown;
    int rating = -1;       ///< 1..5 stars; -1 unknown
    QDate lastChanged;     ///< invalid when unknown
    bool seed = false;     ///< a test or seed address the user marked: first in the first wave
    /// Decides the wave on Klaviyo: a subscriber without a consent time is written without consent.
    ConsentEvidence consent;
    /// ConsentMapping::map's wave when it was decided already (assignBackup decides it as it reads,
    /// so that the evidence need not be kept for every contact); `skipReason` then says why a
    /// Skip is not written. Unset: assign() maps `status` and `consent` itself.
    std::optional<WriteWave> decided;
    QString skipReason;
};

/** A contact the transfer will not write, and why. */
struct WaveRejection
{
    qsizetype index = 0; ///< in the candidates handed in
    QString email;
    QString code;        ///< "invalid_email", "duplicate", "not_written"
    QString reason;      ///< translated
};

/** One wave as assigned: who is in it and what they are. */
struct WaveSummary
{
    int number = 0;
    qint64 contacts = 0;
    QHash<ContactStatus, qint64> byStatus;
};

/** Every contact's wave (-1: not written, see rejected), the waves, and the rejections. */
struct WaveAssignmentResult
{
    QList<int> waveOf;            ///< per candidate
    QList<WaveSummary> waves;     ///< wave 0 first
    QList<WaveRejection> rejected;

    qint64 assigned() const;
};

/**
 * Puts every contact of the source into a wave of the transfer (issue 5): wave 0 holds every
 * suppression and goes first; subscribers fill the subscriber waves in the sizes the timeline
 * planned (TimelineGenerator::planWaves), marked seed addresses first, then the most engaged
 * (rating, then the latest change); contacts without marketing consent go with the last wave,
 * written without a subscription. What ConsentMapping does not write (an archived member on
 * Mailchimp), an invalid address or a second copy of an address is not assigned and is listed
 * with the reason, so that nothing is left out silently.
 */
class WaveAssignment
{
    Q_DECLARE_TR_FUNCTIONS(WaveAssignment)

public:
    static WaveAssignmentResult assign(const QList<WaveCandidate> &candidates,
                                       const QList<WavePlan> &plan, TargetPlatform target);

    /**
     * A wave stage's pass 1: every contact of the backup in `folder` read (BackupContactStream)
     * (in two halves on two threads from kSplitBytes on) and assigned, `seeds` (addresses as the
     * user typed them) first. nullopt when `cancelled`
     * says so (asked every 16,384 contacts); an Error names the backup's file and line.
     */
    /// A backup's contacts file from this size on is read in two halves side by side.
    static constexpr qint64 kSplitBytes = 16 << 20;

    static Result<std::optional<WaveAssignmentResult>>
    assignBackup(const QString &folder, const QList<WavePlan> &plan, const QStringList &seeds,
                 TargetPlatform target, const std::function<bool()> &cancelled = {});
};
