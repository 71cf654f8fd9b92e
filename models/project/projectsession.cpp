#include "project/projectsession.h"

#include "assessment/assessmentcontroller.h"
#include "connectors/connectioncontroller.h"
#include "integrity/integrityreview.h"
#include "plan/fieldmappingcontroller.h"
#include "plan/plancontroller.h"
#include "project/referencedata.h"
#include "secrets/secretstore.h"
#include "store/projectstore.h"
#include "transfer/transfercontroller.h"

ProjectSession::ProjectSession(std::unique_ptr<ProjectStore> store, const ReferenceData *data, QObject *parent)
    : QObject(parent), m_store(std::move(store)), m_data(data),
      m_assessment(new AssessmentController(m_store.get(), catalog(), this)),
      m_plan(new PlanController(m_store.get(), catalog(), data ? &data->checklist : nullptr, m_assessment, this)),
      m_fieldMapping(new FieldMappingController(m_store.get(), m_assessment, m_plan, this)),
      m_secrets(new SecretStore(this)),
      m_connections(new ConnectionController(m_store.get(), m_secrets, this)),
      m_transfer(new TransferController(m_store.get(), m_connections, m_assessment, m_fieldMapping, m_plan, this)),
      m_review(new IntegrityReview(m_store.get(), m_connections, m_transfer, m_fieldMapping, this))
{
    connect(m_plan, &PlanController::choiceChanged, m_connections, &ConnectionController::platformsChanged);
}

const PlatformCatalog *ProjectSession::catalog() const
{
    return m_data ? &m_data->catalog : nullptr;
}

ProjectSession::~ProjectSession()
{
    // Controllers cancel and wait for their jobs before the store closes.
    delete m_review;
    delete m_transfer;
    delete m_connections;
    delete m_fieldMapping;
    delete m_plan;
    delete m_assessment;
}

bool ProjectSession::isBusy() const
{
    return m_assessment->isRunning() || m_transfer->isRunning() || m_review->isRunning();
}
