#include "transfer/transfermemo.h"

#include <QDir>
#include <QFileInfo>

QList<TransferMemo::Stamp> TransferMemo::stampsOf(const QString &folder, const QStringList &names)
{
    QList<Stamp> out;
    const QDir dir(folder);
    for (const QString &name : names) {
        const QFileInfo info(dir.filePath(name));
        out.append(Stamp{info.absoluteFilePath(), info.exists() ? info.size() : -1,
                         info.exists() ? info.lastModified() : QDateTime()});
    }
    return out;
}

bool TransferMemo::unchangedLocked(const QString &folder) const
{
    const auto it = m_verified.constFind(folder);
    if (it == m_verified.cend())
        return false;
    QStringList names;
    for (const Stamp &s : *it)
        names.append(QFileInfo(s.path).fileName());
    return stampsOf(folder, names) == *it;
}

bool TransferMemo::isVerified(const QString &folder) const
{
    const QMutexLocker lock(&m_mutex);
    return unchangedLocked(folder);
}

void TransferMemo::setVerified(const QString &folder, const BackupManifest &manifest)
{
    QStringList names{BackupManifest::kFileName};
    for (const BackupFileEntry &f : manifest.files)
        names.append(f.name);
    const QList<Stamp> stamps = stampsOf(folder, names);
    const QMutexLocker lock(&m_mutex);
    m_verified.insert(folder, stamps);
}

std::shared_ptr<const WaveAssignmentResult> TransferMemo::assignment(const AssignmentInputs &inputs) const
{
    const QMutexLocker lock(&m_mutex);
    if (!m_assigned || !(m_assigned->inputs == inputs) || !unchangedLocked(inputs.folder))
        return nullptr;
    return m_assigned->result;
}

void TransferMemo::setAssignment(const AssignmentInputs &inputs,
                                 std::shared_ptr<const WaveAssignmentResult> result)
{
    const QMutexLocker lock(&m_mutex);
    m_assigned = Assigned{inputs, std::move(result)};
}
