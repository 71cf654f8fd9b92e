#include "integrity/scopedrecordsource.h"

#include "integrity/valuenormalisation.h"

#include <QSqlError>
#include <QSqlQuery>

#include <algorithm>

#include <xxhash.h>

using namespace Qt::StringLiterals;

quint64 EmailHashSet::hash(QByteArrayView address)
{
    const std::string key = ValueNormalisation::email(address);
    return XXH3_64bits(key.data(), key.size());
}

void EmailHashSet::seal()
{
    std::sort(m_hashes.begin(), m_hashes.end());
    m_hashes.erase(std::unique(m_hashes.begin(), m_hashes.end()), m_hashes.end());
    m_hashes.shrink_to_fit();
}

bool EmailHashSet::contains(QByteArrayView address) const
{
    return std::binary_search(m_hashes.begin(), m_hashes.end(), hash(address));
}

Result<WaveScope> WaveScope::read(QSqlDatabase db, int wave)
{
    WaveScope scope;
    scope.wave = wave;
    // The codes WaveAssignment gives what no wave writes (journaled with wave 0 as failed).
    const QString record
        = u"SELECT DISTINCT r.email FROM transfer_records r "
          "JOIN transfer_runs t ON t.id = r.run_id "
          "WHERE t.dry_run = 0 AND t.stage IN ('suppressions', 'wave') AND t.wave %1 ? "
          "AND NOT (r.outcome = 'failed' AND r.code IN ('invalid_email', 'not_written'))"_s;
    for (const bool later : {false, true}) {
        QSqlQuery q(db);
        q.setForwardOnly(true);
        q.prepare(record.arg(later ? u">"_s : u"<="_s));
        q.addBindValue(wave);
        if (!q.exec())
            return Error(
                tr("The transfer journal could not be read: %1.").arg(q.lastError().text()));
        EmailHashSet &set = later ? scope.laterWaves : scope.upToWave;
        while (q.next())
            set.add(q.value(0).toString().toUtf8());
        set.seal();
    }
    QSqlQuery runs(db);
    runs.prepare(u"SELECT COUNT(*) FROM transfer_runs WHERE dry_run = 0 AND stage IN "
                 u"('suppressions', 'wave') "
                 "AND wave <= ?"_s);
    runs.addBindValue(wave);
    if (!runs.exec() || !runs.next())
        return Error(
            tr("The transfer journal could not be read: %1.").arg(runs.lastError().text()));
    scope.runs = runs.value(0).toLongLong();
    return scope;
}

ScopedRecordSource::ScopedRecordSource(std::shared_ptr<DiffRecordSource> inner, Filter keep,
                                       std::shared_ptr<void> keepAlive)
    : m_keepAlive(std::move(keepAlive))
    , m_inner(std::move(inner))
    , m_keep(std::move(keep))
{}

Status ScopedRecordSource::open()
{
    // The review opens the sides to build the project's mapping before the engine opens them
    // again: a side is opened once (a read-back's added fields must stay).
    if (m_opened)
        return Status::success();
    if (Status s = m_inner->open(); !s)
        return s;
    m_opened = true;
    return Status::success();
}

Status ScopedRecordSource::scan(const QList<int> &columns, const Visitor &visit,
                                const std::atomic_bool *cancel)
{
    qint64 leftOut = 0;
    bool stopped = false;
    const Status s = m_inner->scan(
        columns,
        [&](const DiffRecord &record) {
            if (!m_keep(record.email)) {
                ++leftOut;
                return true;
            }
            if (!visit(record)) {
                stopped = true;
                return false;
            }
            return true;
        },
        cancel);
    if (s && !stopped && !(cancel && cancel->load()) && m_leftOut.load() < 0)
        m_leftOut.store(leftOut);
    return s;
}
