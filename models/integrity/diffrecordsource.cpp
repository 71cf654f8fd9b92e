#include "integrity/diffrecordsource.h"

int DiffRecordSource::addField(const QString &)
{
    return -1;
}

Status DiffRecordSource::scanParallel(const QList<int> &, int, const ParallelVisitor &, bool &done,
                                      const std::atomic_bool *, const ParallelStart &)
{
    done = false;
    return Status::success();
}

Status DiffRecordSource::visitAt(std::span<const quint64> locators, const QList<int> &columns,
                                 const Visitor &visit, const std::atomic_bool *cancel)
{
    size_t next = 0;
    return scan(
        columns,
        [&](const DiffRecord &r) {
            while (next < locators.size() && locators[next] < r.locator)
                ++next; // not met: the side changed
            if (next >= locators.size())
                return false;
            if (locators[next] != r.locator)
                return true;
            ++next;
            return visit(r);
        },
        cancel);
}

int DiffRecordSource::tagsFieldIndex() const
{
    const QList<DiffSourceField> all = fields();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].tags)
            return i;
    }
    return -1;
}

int DiffRecordSource::fieldIndex(const QString &name) const
{
    const QList<DiffSourceField> all = fields();
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].name == name)
            return i;
    }
    for (int i = 0; i < all.size(); ++i) {
        if (all[i].name.compare(name, Qt::CaseInsensitive) == 0)
            return i;
    }
    return -1;
}

QString DiffRecordSource::where(const QString &file, qint64 line)
{
    return line > 0 ? file + u':' + QString::number(line) : file;
}
