#include "integrity/diffrecordsource.h"

int DiffRecordSource::addField(const QString &)
{
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
