#include "project/demoproject.h"

#include "store/projectstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>

QString DemoProject::defaultFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("demo"));
}

Result<DemoProject::Paths> DemoProject::ensure(const QString &folder, const QString &bundledExport)
{
    if (!QDir().mkpath(folder))
        return Error{tr("the demo folder cannot be created."), folder, tr("Check that your home folder is writable.")};
    const QDir dir(folder);
    Paths paths;
    paths.project = dir.filePath(QStringLiteral("Northwind demo migration.stagecoach"));
    paths.exportFile = dir.filePath(QFileInfo(bundledExport).fileName());

    if (!QFileInfo::exists(paths.exportFile)) {
        const QString temp = paths.exportFile + QStringLiteral(".part");
        QFile::remove(temp);
        if (!QFile::copy(bundledExport, temp) || !QFile::rename(temp, paths.exportFile)) {
            QFile::remove(temp);
            return Error{tr("the demo export could not be copied."), folder, tr("Check the free disk space.")};
        }
        QFile::setPermissions(paths.exportFile, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    }
    if (!QFileInfo::exists(paths.project)) {
        Result<std::unique_ptr<ProjectStore>> created =
            ProjectStore::create(paths.project, tr("Northwind Outdoor Co. - demo migration"));
        if (!created)
            return created.error();
        // The demo rehearses against the sandbox that runs inside the application.
        if (Status s = created.value()->setValue(QStringLiteral("connection.sandbox"), QStringLiteral("demo")); !s)
            return s.error();
        paths.created = true;
    } else if (auto existing = ProjectStore::open(paths.project); existing
               && existing.value()->value(QStringLiteral("connection.sandbox")).isNull()) {
        // A demo made by an earlier version: it rehearses against the sandbox too. (A demo open
        // in another window is left as it is.)
        if (Status s = existing.value()->setValue(QStringLiteral("connection.sandbox"), QStringLiteral("demo")); !s)
            return s.error();
    }
    return paths;
}
