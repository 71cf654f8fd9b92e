#pragma once

#include "core/result.h"

#include <QObject>

#include <memory>

class AssessmentController;
class ConnectionController;
class FieldMappingController;
class IntegrityReview;
class PlanController;
class PlatformCatalog;
struct ReferenceData;
class ProjectStore;
class SecretStore;
class TransferController;

/** An open project: its file and the controllers of its steps, created and destroyed together. */
class ProjectSession : public QObject
{
    Q_OBJECT

public:
    ProjectSession(std::unique_ptr<ProjectStore> store, const ReferenceData *data, QObject *parent = nullptr);
    ~ProjectSession() override;

    ProjectStore *store() const { return m_store.get(); }
    AssessmentController *assessment() const { return m_assessment; }
    PlanController *plan() const { return m_plan; }
    FieldMappingController *fieldMapping() const { return m_fieldMapping; }
    ConnectionController *connections() const { return m_connections; }
    SecretStore *secrets() const { return m_secrets; }
    TransferController *transfer() const { return m_transfer; }
    IntegrityReview *review() const { return m_review; }
    const PlatformCatalog *catalog() const;

    /// True while a step works in the background (closing would cancel it, or pause a transfer
    /// stage: it resumes from the journal).
    bool isBusy() const;

private:
    std::unique_ptr<ProjectStore> m_store;
    const ReferenceData *m_data;
    AssessmentController *m_assessment;
    PlanController *m_plan;
    FieldMappingController *m_fieldMapping;
    SecretStore *m_secrets;
    ConnectionController *m_connections;
    TransferController *m_transfer;
    IntegrityReview *m_review;
};
