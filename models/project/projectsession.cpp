#include "project/projectsession.h"

#include "assessment/assessmentcontroller.h"
#include "plan/plancontroller.h"
#include "project/referencedata.h"
#include "store/projectstore.h"

ProjectSession::ProjectSession(std::unique_ptr<ProjectStore> store, const ReferenceData *data, QObject *parent)
    : QObject(parent), m_store(std::move(store)), m_data(data),
      m_assessment(new AssessmentController(m_store.get(), catalog(), this)),
      m_plan(new PlanController(m_store.get(), catalog(), data ? &data->checklist : nullptr, m_assessment, this))
{
}

const PlatformCatalog *ProjectSession::catalog() const
{
    return m_data ? &m_data->catalog : nullptr;
}

ProjectSession::~ProjectSession()
{
    // Controllers cancel and wait for their jobs before the store closes.
    delete m_plan;
    delete m_assessment;
}

bool ProjectSession::isBusy() const
{
    return m_assessment->isRunning();
}
