export { CleaningModule } from './cleaning.module';
export { CLEANING_OPTIONS, type CleaningOptions } from './cleaning.options';
export { CleanDocumentsService } from './clean-documents/clean-documents.service';
export { CLEANING_GROUP } from './clean-documents/clean-documents.consumer';
export { openCleaning } from './open-cleaning';
export { CleaningServiceConfigSchema, loadCleaningServiceConfig } from './config';
