#pragma once

#include <QList>
#include <QString>

/** The steps of a migration, in wizard order. Later stages are filled by later releases. */
enum class StepId {
    Connections,
    Assessment,
    Objectives,
    PlatformChoice,
    FieldMapping,
    Timeline,
    Backup,
    InitialSetup,
    DataTransfer,
    Templates,
    History,
    Integration,
    Testing,
    StaffTraining,
    GoLive,
    Review,
    Exports,
};

struct MigrationStep
{
    StepId id;
    QString key;          ///< stable, saved in projects: "assessment", "dataTransfer" ...
    QString group;        ///< translated: Planning, Execution, Exports
    QString title;        ///< translated
    QString summary;      ///< what the step is for, one sentence, translated
    QStringList holds;    ///< what the step will show and do, translated
    bool available;       ///< built in this version
};

namespace MigrationSteps {
const QList<MigrationStep> &all();
const MigrationStep &step(StepId id);
const MigrationStep *byKey(QStringView key);
} // namespace MigrationSteps
