#pragma once

#include "assessment/asset.h"

#include <QTabWidget>

class AssessmentController;

/**
 * The hand-entered templates, campaigns, automations, integrations and sending domains: one tab
 * per kind, each an editable table with Add and Remove. Edits are saved as they are made.
 */
class AssetsEditor : public QTabWidget
{
    Q_OBJECT

public:
    AssetsEditor(AssessmentController *controller, QWidget *parent = nullptr);

private:
    QWidget *createTab(AssessmentController *controller, AssetKind kind);
};
