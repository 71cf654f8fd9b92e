#include "store/recentprojects.h"

#include <QFileInfo>
#include <QSettings>

namespace {
const QString kKey = QStringLiteral("recentProjects");
}

namespace RecentProjects {

QStringList list()
{
    QStringList out;
    for (const QString &p : QSettings().value(kKey).toStringList()) {
        if (QFileInfo::exists(p))
            out.append(p);
    }
    return out;
}

void add(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList paths = QSettings().value(kKey).toStringList();
    paths.removeAll(absolute);
    paths.prepend(absolute);
    while (paths.size() > kMaxEntries)
        paths.removeLast();
    QSettings().setValue(kKey, paths);
}

void remove(const QString &path)
{
    QStringList paths = QSettings().value(kKey).toStringList();
    paths.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(kKey, paths);
}

} // namespace RecentProjects
