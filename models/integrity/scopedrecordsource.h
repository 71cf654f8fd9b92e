#pragma once

#include "integrity/diffrecordsource.h"

#include <QSqlDatabase>

#include <memory>
#include <vector>

/**
 * A set of emails kept as XXH3-64 hashes of their normalised form (ValueNormalisation::email),
 * sorted: 8 bytes per address, so that a million-contact scope stays small.
 */
class EmailHashSet
{
public:
    static quint64 hash(QByteArrayView address);
    void add(QByteArrayView address) { m_hashes.push_back(hash(address)); }
    /// Sorts and removes repeats; call once after the last add().
    void seal();
    bool contains(QByteArrayView address) const;
    qsizetype size() const { return qsizetype(m_hashes.size()); }

private:
    std::vector<quint64> m_hashes;
};

/**
 * Which contacts a review of a wave compares (issue 6): the target holds every wave written so
 * far, so the review of wave N compares the backup's contacts that waves 0..N were given to write
 * (read from the transfer journal: every record of their real runs, whatever its outcome, except
 * those wave 0 lists as never to be written, such as an invalid address or an archived member),
 * against the target without the contacts of later waves. A contact a wave tried and the platform
 * rejected is therefore "missing", which is true; a later wave's contacts are neither missing
 * (before it ran) nor extra (when an earlier wave is reviewed again after it ran).
 */
struct WaveScope
{
    Q_DECLARE_TR_FUNCTIONS(WaveScope)

public:
    int wave = 0;
    EmailHashSet upToWave;   ///< written (or tried) by waves 0..wave
    EmailHashSet laterWaves; ///< journaled by waves after it
    qint64 runs = 0;         ///< real runs of waves 0..wave in the journal

    /// Reads the journal on `db` (the caller's thread's connection).
    static Result<WaveScope> read(QSqlDatabase db, int wave);
};

/**
 * Another side of a diff, with only the records whose email `keep` accepts. Counts the records
 * left out by the first full scan. The inner side is shared (and anything `keepAlive` holds, such
 * as the connector a read-back uses) for as long as this side lives.
 */
class ScopedRecordSource : public DiffRecordSource
{
public:
    using Filter = std::function<bool(QByteArrayView email)>;

    ScopedRecordSource(std::shared_ptr<DiffRecordSource> inner, Filter keep,
                       std::shared_ptr<void> keepAlive = {});

    QString displayName() const override { return m_inner->displayName(); }
    Status open() override;
    QList<DiffSourceField> fields() const override { return m_inner->fields(); }
    std::optional<TargetPlatform> platform() const override { return m_inner->platform(); }
    bool acceptsAnyField() const override { return m_inner->acceptsAnyField(); }
    int addField(const QString &name) override { return m_inner->addField(name); }
    Status scan(const QList<int> &columns, const Visitor &visit,
                const std::atomic_bool *cancel) override;
    Result<DiffRecordCopy> readAt(quint64 locator, const QList<int> &columns) override
    {
        return m_inner->readAt(locator, columns);
    }

    /// Records the first complete scan left out (-1 before one completed).
    qint64 leftOut() const { return m_leftOut.load(); }

private:
    std::shared_ptr<void> m_keepAlive; // first: destroyed after the side that uses it
    std::shared_ptr<DiffRecordSource> m_inner;
    Filter m_keep;
    bool m_opened = false;
    std::atomic<qint64> m_leftOut{-1};
};
