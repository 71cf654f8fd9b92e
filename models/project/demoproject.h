#pragma once

#include "core/result.h"

#include <QCoreApplication>
#include <QString>

/**
 * The demo project: created on first use in the user's data folder from the demo export shipped
 * with the application, so the wizard can be rehearsed without an account.
 */
class DemoProject
{
    Q_DECLARE_TR_FUNCTIONS(DemoProject)

public:
    struct Paths
    {
        QString project;  ///< the .stagecoach file
        QString exportFile; ///< the demo export, copied beside it
        bool created = false; ///< made just now
    };

    /// Ensures the demo project and its export exist in `folder` (copying `bundledExport`, e.g. a
    /// Qt resource path). An existing demo project is reused as it was left.
    static Result<Paths> ensure(const QString &folder, const QString &bundledExport);

    static QString defaultFolder();
};
