#pragma once

#include "plan/migrationsteps.h"

#include <QWizardPage>

/** A step that a later release fills: says what it will hold, and does not pretend to work. */
class PlaceholderPage : public QWizardPage
{
    Q_OBJECT

public:
    PlaceholderPage(const MigrationStep &step, QWidget *parent = nullptr);
};
