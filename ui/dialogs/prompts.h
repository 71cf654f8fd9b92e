#pragma once

#include "core/result.h"

#include <QString>
#include <QStringList>

class QWidget;

/**
 * Every modal question the UI asks (file dialogs, errors, confirmations) goes through here, so a
 * test can install answers instead of a person clicking.
 */
class Prompts
{
public:
    virtual ~Prompts();

    virtual QString newProjectPath(QWidget *parent, const QString &suggestedPath);
    virtual QString openProjectPath(QWidget *parent, const QString &folder);
    virtual QString saveAsPath(QWidget *parent, const QString &currentPath);
    virtual QStringList exportFiles(QWidget *parent, const QString &folder);
    /// Where to save an export; filter like "PDF documents (*.pdf)". Empty when cancelled.
    virtual QString saveFilePath(QWidget *parent, const QString &title, const QString &suggestedPath, const QString &filter);
    /// A file to read; filter like "CSV files (*.csv)". Empty when cancelled.
    virtual QString openFilePath(QWidget *parent, const QString &title, const QString &folder, const QString &filter);
    virtual void showError(QWidget *parent, const QString &title, const Error &error);
    virtual bool confirm(QWidget *parent, const QString &title, const QString &question);

    /// The installed instance (the real dialogs unless a test installed another).
    static Prompts &instance();
    /// Installs prompts (not owned); nullptr restores the real dialogs.
    static void setInstance(Prompts *prompts);
};
