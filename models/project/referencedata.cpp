#include "project/referencedata.h"

Result<ReferenceData> ReferenceData::load(const QString &root)
{
    Result<PlatformCatalog> catalog = PlatformCatalog::load(root + QStringLiteral("/catalog/platforms.json"));
    if (!catalog)
        return catalog.error();
    Result<ChecklistTemplate> checklist = ChecklistTemplate::load(root + QStringLiteral("/checklist/tasks.json"));
    if (!checklist)
        return checklist.error();
    return ReferenceData{std::move(catalog).value(), std::move(checklist).value()};
}
