#pragma once

#include "core/result.h"

#include <QObject>

#include <memory>

class AssessmentController;
class PlatformCatalog;
class ProjectStore;

/** An open project: its file and the controllers of its steps, created and destroyed together. */
class ProjectSession : public QObject
{
    Q_OBJECT

public:
    ProjectSession(std::unique_ptr<ProjectStore> store, const PlatformCatalog *catalog, QObject *parent = nullptr);
    ~ProjectSession() override;

    ProjectStore *store() const { return m_store.get(); }
    AssessmentController *assessment() const { return m_assessment; }
    const PlatformCatalog *catalog() const { return m_catalog; }

    /// True while a step works in the background (closing would cancel it).
    bool isBusy() const;

private:
    std::unique_ptr<ProjectStore> m_store;
    const PlatformCatalog *m_catalog;
    AssessmentController *m_assessment;
};
