import type { ConfirmRequest } from '../contract/confirm.js';

/** The question that asks the user to approve a run, naming where its changes go. */
export function confirmQuestion(request: ConfirmRequest): string {
  if (request.run === 'migrate')
    return `Copy these changes into ${request.to} (${request.url})? Only 'yes' will be accepted: `;
  const where = `${request.url} (scope ${request.scope}${request.env ? `, environment ${request.env}` : ''})`;
  if (request.run !== 'apply')
    return `${request.run === 'publish' ? 'Publish' : 'Unpublish'} these apps in ${where}? Only 'yes' will be accepted: `;
  return `Apply these changes to ${where}? Only 'yes' will be accepted: `;
}
