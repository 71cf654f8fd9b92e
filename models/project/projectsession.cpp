#include "project/projectsession.h"

#include "assessment/assessmentcontroller.h"
#include "store/projectstore.h"

ProjectSession::ProjectSession(std::unique_ptr<ProjectStore> store, const PlatformCatalog *catalog, QObject *parent)
    : QObject(parent), m_store(std::move(store)), m_catalog(catalog),
      m_assessment(new AssessmentController(m_store.get(), catalog, this))
{
}

ProjectSession::~ProjectSession()
{
    // Controllers cancel and wait for their jobs before the store closes.
    delete m_assessment;
}

bool ProjectSession::isBusy() const
{
    return m_assessment->isRunning();
}
