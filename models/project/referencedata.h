#pragma once

#include "catalog/platformcatalog.h"
#include "core/result.h"
#include "plan/checklistgenerator.h"

/** The data Stagecoach ships (resources/): the platform catalog and the checklist template. */
struct ReferenceData
{
    PlatformCatalog catalog;
    ChecklistTemplate checklist;

    /// Reads catalog/platforms.json and checklist/tasks.json under root (":" for the compiled-in
    /// resources, or a resources folder).
    static Result<ReferenceData> load(const QString &root = QStringLiteral(":"));
};
